"""Loading FER2013 + FER+ votes, treating every file as untrusted input.

`load_fer(data_dir)` parses fer2013.csv.gz and fer2013new.csv once, validates every
row, counts (never hides) malformed rows, and caches the result as .npy files under
training/.cache/. Only the Training and PublicTest splits exist in the shared copy;
PublicTest is the validation set and is never trained on.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent  # training/
DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
CACHE_DIR = HERE / ".cache"

# FER+ vote columns, in fer2013new.csv's order
FERPLUS_COLS = ["neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt", "unknown", "NF"]
# index in FER2013's label order (0 angry,1 disgust,2 fear,3 happy,4 sad,5 surprise,6 neutral) of the
# first seven FER+ columns
FERPLUS_TO_FER = [6, 3, 5, 4, 0, 1, 2]
SPLITS = {"Training": 0, "PublicTest": 1}


@dataclass
class FerData:
    pixels: np.ndarray  # [N, 48, 48] uint8, rows with pixels only
    fer_label: np.ndarray  # [N] int64, FER2013 label (0..6)
    votes: np.ndarray  # [N, 7] float32, FER+ votes re-ordered to FER2013's label order
    other_votes: np.ndarray  # [N, 3] float32, FER+ votes for contempt, unknown, NF (not used as targets)
    split: np.ndarray  # [N] int8, 0 Training, 1 PublicTest
    row: np.ndarray  # [N] int64, 0-based data row index in fer2013.csv (header excluded)
    report: dict = field(default_factory=dict)

    def subset(self, mask: np.ndarray) -> "FerData":
        return FerData(
            self.pixels[mask], self.fer_label[mask], self.votes[mask], self.other_votes[mask], self.split[mask], self.row[mask], self.report
        )


def ferplus_majority(votes: np.ndarray) -> np.ndarray:
    """Index of the unique maximum of the 7 vote counts; -1 where there is a tie or no vote."""
    mx = votes.max(axis=1)
    n_at_max = (votes == mx[:, None]).sum(axis=1)
    maj = votes.argmax(axis=1)
    return np.where((mx > 0) & (n_at_max == 1), maj, -1)


def ferplus_majority10(votes: np.ndarray, other_votes: np.ndarray) -> np.ndarray:
    """FER+ paper-style majority: unique maximum over all ten columns, kept only when it is one
    of the seven emotions (else -1). This is the definition under which the data README's
    65.4% FER2013/FER+ agreement on PublicTest is obtained."""
    allv = np.concatenate([votes, other_votes], axis=1)
    mx = allv.max(axis=1)
    uniq = (allv == mx[:, None]).sum(axis=1) == 1
    am = allv.argmax(axis=1)
    return np.where(uniq & (am < 7) & (mx > 0), am, -1)


def soft_targets(votes: np.ndarray) -> np.ndarray:
    s = votes.sum(axis=1, keepdims=True)
    return np.where(s > 0, votes / np.maximum(s, 1e-9), 0.0).astype(np.float32)


def _parse(data_dir: Path, max_rows: int | None = None) -> tuple[dict, dict]:
    fer_path = data_dir / "fer2013" / "fer2013.csv.gz"
    plus_path = data_dir / "fer2013" / "fer2013new.csv"
    rep = {
        "rows": 0,
        "skipped_empty_pixels": 0,
        "malformed": {"bad_field_count": 0, "bad_label": 0, "bad_usage": 0, "bad_pixels": 0, "bad_votes": 0, "usage_mismatch": 0},
        "malformed_examples": [],
        "ferplus_rows": 0,
        "by_split": {},
    }

    def bad(kind: str, i: int, note: str) -> None:
        rep["malformed"][kind] += 1
        if len(rep["malformed_examples"]) < 20:
            rep["malformed_examples"].append({"row": i, "kind": kind, "note": note[:120]})

    # FER+ votes (small file)
    plus_rows: list[list[str]] = []
    with open(plus_path, newline="", encoding="utf-8", errors="replace") as f:
        r = csv.reader(f)
        header = next(r)
        if [h.strip() for h in header[2:12]] != FERPLUS_COLS:
            raise ValueError(f"unexpected fer2013new.csv header: {header}")
        for rec in r:
            plus_rows.append(rec)
            if max_rows is not None and len(plus_rows) >= max_rows:
                break
    rep["ferplus_rows"] = len(plus_rows)

    pix, lab, vot, oth, spl, rows = [], [], [], [], [], []
    with gzip.open(fer_path, "rt", newline="", encoding="utf-8", errors="replace") as f:
        r = csv.reader(f)
        header = next(r)
        if [h.strip() for h in header] != ["emotion", "pixels", "Usage"]:
            raise ValueError(f"unexpected fer2013.csv header: {header}")
        for i, rec in enumerate(r):
            if max_rows is not None and i >= max_rows:
                break
            rep["rows"] += 1
            if len(rec) != 3:
                bad("bad_field_count", i, repr(rec)[:120])
                continue
            e, p, u = rec[0].strip(), rec[1].strip(), rec[2].strip()
            if u not in SPLITS:
                bad("bad_usage", i, u)
                continue
            if not e.isdigit() or not 0 <= int(e) <= 6:
                bad("bad_label", i, e)
                continue
            if p == "":
                rep["skipped_empty_pixels"] += 1
                continue
            try:
                arr = np.array(p.split(" "), dtype=np.int64)
            except ValueError:
                bad("bad_pixels", i, "non-integer value")
                continue
            if arr.size != 48 * 48 or arr.min() < 0 or arr.max() > 255:
                bad("bad_pixels", i, f"{arr.size} values in [{arr.min()}, {arr.max()}]")
                continue
            if i >= len(plus_rows):
                bad("bad_votes", i, "no FER+ row")
                continue
            pr = plus_rows[i]
            if len(pr) < 12 or pr[0].strip() != u:
                bad("usage_mismatch" if len(pr) >= 12 else "bad_votes", i, repr(pr)[:120])
                continue
            try:
                v = np.array([float(x) for x in pr[2:12]])
            except ValueError:
                bad("bad_votes", i, repr(pr[2:12]))
                continue
            if not np.all(np.isfinite(v)) or v.min() < 0:
                bad("bad_votes", i, repr(pr[2:12]))
                continue
            v7 = np.zeros(7, np.float32)
            v7[FERPLUS_TO_FER] = v[:7]
            pix.append(arr.astype(np.uint8).reshape(48, 48))
            lab.append(int(e))
            vot.append(v7)
            oth.append(v[7:10].astype(np.float32))
            spl.append(SPLITS[u])
            rows.append(i)
    arrays = {
        "pixels": np.stack(pix) if pix else np.zeros((0, 48, 48), np.uint8),
        "fer_label": np.array(lab, np.int64),
        "votes": np.array(vot, np.float32).reshape(-1, 7),
        "other_votes": np.array(oth, np.float32).reshape(-1, 3),
        "split": np.array(spl, np.int8),
        "row": np.array(rows, np.int64),
    }
    for name, k in SPLITS.items():
        rep["by_split"][name] = int((arrays["split"] == k).sum())
    rep["malformed_total"] = int(sum(rep["malformed"].values()))
    return arrays, rep


def _fingerprint(data_dir: Path) -> str:
    h = hashlib.sha256()
    for p in ("fer2013/fer2013.csv.gz", "fer2013/fer2013new.csv"):
        st = (data_dir / p).stat()
        h.update(f"{p}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def load_fer(data_dir: str | Path = DEFAULT_DATA, cache: bool = True, max_rows: int | None = None, log=print) -> FerData:
    data_dir = Path(data_dir)
    key = "v2-" + _fingerprint(data_dir) + ("" if max_rows is None else f"-first{max_rows}")
    cdir = CACHE_DIR / f"fer-{key}"
    names = ["pixels", "fer_label", "votes", "other_votes", "split", "row"]
    if cache and (cdir / "report.json").exists():
        arrays = {n: np.load(cdir / f"{n}.npy") for n in names}
        rep = json.loads((cdir / "report.json").read_text())
    else:
        arrays, rep = _parse(data_dir, max_rows)
        if cache:
            cdir.mkdir(parents=True, exist_ok=True)
            for n in names:
                np.save(cdir / f"{n}.npy", arrays[n])
            (cdir / "report.json").write_text(json.dumps(rep, indent=1))
    log(
        f"[data] {rep['rows']} rows read; skipped {rep['skipped_empty_pixels']} with empty pixels; "
        f"{rep['malformed_total']} malformed {rep['malformed']}; kept {rep['by_split']}"
    )
    return FerData(**arrays, report=rep)
