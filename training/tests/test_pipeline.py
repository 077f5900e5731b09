"""Fast end-to-end checks of the Python side (< 60 s on 2 cores).

Run from the repository root:
  /usr/bin/python3 training/smoke_test.py
(equivalently: /usr/bin/python3 -m unittest discover -s training/tests -v)

Reads ../shared/data (FER2013 CSV, FER+ votes, ImageNet weights, the public-domain face
photos). Nothing is written outside a temporary directory except the parsed-data cache
under training/.cache/ (git-ignored).
"""
from __future__ import annotations

import base64
import gzip
import json
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

TRAINING = Path(__file__).resolve().parent.parent
ROOT = TRAINING.parent
sys.path.insert(0, str(TRAINING))

import export as export_mod  # noqa: E402
import train as train_mod  # noqa: E402
from moodlens_train.augment import augment, to_input  # noqa: E402
from moodlens_train.data import DEFAULT_DATA, ferplus_majority, load_fer, soft_targets  # noqa: E402
from moodlens_train.graph import SCALE, OFFSET, TorchGraph, check_export, numpy_forward, read_export  # noqa: E402
from moodlens_train.model import LABELS, MobileNetV2Grey, load_imagenet  # noqa: E402

DATA = Path(DEFAULT_DATA)
SHIPPED = ROOT / "packages" / "core" / "models" / "emotion"
FIXTURE = ROOT / "packages" / "core" / "src" / "__tests__" / "fixtures" / "emotion-parity.json"

torch.set_num_threads(2)


class TestData(unittest.TestCase):
    def test_counts_and_label_mapping(self):
        d = load_fer(DATA, log=lambda *_: None)
        self.assertEqual(d.report["skipped_empty_pixels"], 161)
        self.assertEqual(d.report["by_split"], {"Training": 28558, "PublicTest": 3579})
        self.assertEqual(d.report["malformed_total"], 0)
        # first FER+ row: neutral 4, sadness 1, anger 3, disgust 2 -> FER2013 order
        i = int(np.where(d.row == 0)[0][0])
        np.testing.assert_array_equal(d.votes[i], [3, 2, 0, 0, 1, 0, 4])
        self.assertEqual(d.fer_label[i], 0)
        self.assertEqual(ferplus_majority(np.array([[1, 0, 0, 5, 0, 0, 5.0]]))[0], -1)  # tie
        self.assertEqual(ferplus_majority(np.array([[1, 0, 0, 6, 0, 0, 3.0]]))[0], 3)
        self.assertAlmostEqual(float(soft_targets(d.votes[i : i + 1]).sum()), 1.0, places=6)

    def test_malformed_rows_are_counted(self):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "fer2013").mkdir()
            good = " ".join(["7"] * 2304)
            rows = [
                "emotion,pixels,Usage",
                f"3,{good},Training",
                ",,Training",  # bad label
                f"9,{good},Training",  # label out of range
                "4,,PublicTest",  # empty pixels: skipped, not malformed
                f"2,{' '.join(['1'] * 100)},Training",  # wrong length
                f"2,{good.replace('7', '300', 1)},Training",  # out of range
                f"1,{good},PrivateTest",  # unknown split
                "1,1 2,Training,extra",  # wrong field count
                f"5,{good},PublicTest",  # FER+ row says Training -> mismatch
                f"6,{good},Training",  # FER+ votes not numbers
            ]
            with gzip.open(Path(tmp) / "fer2013" / "fer2013.csv.gz", "wt") as f:
                f.write("\n".join(rows) + "\n")
            hdr = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF"
            plus = [hdr] + ["Training,x.png,0,10,0,0,0,0,0,0,0,0"] * 9 + ["Training,x.png,a,b,0,0,0,0,0,0,0,0"]
            (Path(tmp) / "fer2013" / "fer2013new.csv").write_text("\n".join(plus) + "\n")
            d = load_fer(tmp, cache=False, log=lambda *_: None)
            m = d.report["malformed"]
            self.assertEqual(len(d.row), 1)
            self.assertEqual(d.report["skipped_empty_pixels"], 1)
            self.assertEqual(m["bad_label"], 2)
            self.assertEqual(m["bad_pixels"], 2)
            self.assertEqual(m["bad_usage"], 1)
            self.assertEqual(m["bad_field_count"], 1)
            self.assertEqual(m["usage_mismatch"], 1)
            self.assertEqual(m["bad_votes"], 1)
            self.assertEqual(d.votes[0, 3], 10)


class TestModel(unittest.TestCase):
    def test_imagenet_init_and_augment(self):
        m = MobileNetV2Grey(last_channels=384)
        rep = load_imagenet(m, DATA / "pretrained" / "mobilenet_v2_1.0_224.layers.npz", DATA / "pretrained" / "mobilenet_v2_1.0_224.layers.json")
        self.assertEqual(rep["copied"], 52)
        self.assertIsNotNone(rep["narrowed"])
        u8 = torch.randint(0, 256, (4, 48, 48), dtype=torch.uint8)
        a = augment(u8, 64, torch.Generator().manual_seed(1))
        b = augment(u8, 64, torch.Generator().manual_seed(1))
        self.assertTrue(torch.equal(a, b))  # seeded
        self.assertEqual(tuple(a.shape), (4, 1, 64, 64))
        self.assertLessEqual(float(a.abs().max()), 1.0)
        x = to_input(u8, 64)
        self.assertAlmostEqual(float(to_input(torch.full((1, 48, 48), 255, dtype=torch.uint8), 64).max()), 1.0, places=5)
        self.assertEqual(tuple(m(x).shape), (4, 7))


class TestTrainExport(unittest.TestCase):
    def test_train_resume_export(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "run"
            common = ["--out", str(out), "--max-train", "64", "--max-val", "96", "--batch", "32", "--max-steps", "1"]
            r1 = train_mod.main(common + ["--epochs", "1"])
            self.assertEqual(len(r1["history"]), 1)
            self.assertTrue(np.isfinite(r1["history"][0]["train_loss"]))
            r2 = train_mod.main(common + ["--epochs", "2", "--resume"])
            self.assertEqual([h["epoch"] for h in r2["history"]], [0, 1])  # resumed, not restarted
            self.assertTrue((out / "last.pt").exists() and (out / "best.pt").exists())

            # A second stage starts from the first's best EMA weights, with a fresh schedule.
            stage2 = Path(tmp) / "stage2"
            best = torch.load(out / "best.pt", map_location="cpu")
            r3 = train_mod.main(
                [a if a != str(out) else str(stage2) for a in common]
                + ["--epochs", "1", "--pretrained", "false", "--init-from", str(out / "best.pt")]
            )
            self.assertEqual([h["epoch"] for h in r3["history"]], [0])
            first_conv = next(k for k in best["ema"] if k.endswith("weight"))
            init = torch.load(stage2 / "last.pt", map_location="cpu")
            # one optimiser step at a warm-up learning rate moves the weights only slightly
            self.assertLess(float((init["model"][first_conv] - best["ema"][first_conv]).abs().max()), 0.05)
            self.assertEqual(init["cfg"]["init_from"], str(out / "best.pt"))

            # Self-distillation: the same stage with half of each target from a frozen teacher
            # (here the weights it starts from) trains on other targets, so its loss differs.
            distilled = Path(tmp) / "distilled"
            stage_args = [a if a != str(out) else str(distilled) for a in common] + [
                "--epochs", "1", "--pretrained", "false", "--init-from", str(out / "best.pt"),
            ]
            r4 = train_mod.main(stage_args + ["--distill-from", str(out / "best.pt"), "--distill-weight", "0.5"])
            self.assertTrue(np.isfinite(r4["history"][0]["train_loss"]))
            self.assertNotAlmostEqual(r4["history"][0]["train_loss"], r3["history"][0]["train_loss"], places=4)
            self.assertEqual(torch.load(distilled / "last.pt", map_location="cpu")["cfg"]["distill_weight"], 0.5)
            with self.assertRaises(SystemExit):
                train_mod.main(stage_args + ["--distill-from", str(out / "best.pt"), "--distill-weight", "0"])

            model, cfg, _ = export_mod.load_checkpoint(out / "last.pt")
            exp = Path(tmp) / "emotion"
            fx = Path(tmp) / "parity.json"
            rep = export_mod.export(model, cfg, exp, fx, DATA, {"test": True}, log=lambda *_: None)
            self.assertLessEqual(rep["total_bytes"], 4_000_000)
            doc, w = read_export(exp)
            # manifest vs bytes
            man = doc["weightsManifest"][0]["weights"]
            n = sum(int(np.prod(e["shape"])) for e in man)
            self.assertEqual((exp / "weights.bin").stat().st_size, 2 * n)
            self.assertTrue(all(e["quantization"] == {"dtype": "float16"} and e["dtype"] == "float32" for e in man))
            self.assertEqual(doc["labels"], LABELS)
            self.assertEqual(doc["input"], {"channels": 1, "scale": SCALE, "offset": OFFSET})
            self.assertEqual(man[0]["shape"], [3, 3, 1, 32])
            for nd in doc["graph"]:
                if nd["op"] == "depthwiseConv2d":
                    self.assertEqual(w[nd["weights"]["filter"]].shape[3], 1)
                if nd["op"] in ("conv2d", "depthwiseConv2d"):
                    self.assertEqual(len(nd["pad"]), 4)
            self.assertEqual(doc["graph"][-1]["op"], "dense")
            # NumPy re-implementation from model.json reproduces the PyTorch logits, on FER rows
            d = load_fer(DATA, log=lambda *_: None)
            pix = torch.from_numpy(d.pixels[d.split == 1][:6])
            x = to_input(pix, doc["inputSize"])
            lg_np = numpy_forward(doc, w, x.permute(0, 2, 3, 1).double().numpy())
            lg_graph = TorchGraph(doc, w)(x).double().numpy()
            with torch.no_grad():
                lg_model = model(x).double().numpy()
            np.testing.assert_allclose(lg_np, lg_graph, atol=1e-3)
            np.testing.assert_allclose(lg_np, lg_model, atol=0.2)  # float16 weights vs float32 model
            f = json.loads(fx.read_text())
            self.assertEqual(f["inputSize"], doc["inputSize"])
            self.assertGreaterEqual(len(f["cases"]), 10)
            c = f["cases"][0]
            self.assertEqual(len(base64.b64decode(c["pixels"])), c["width"] * c["height"])
            self.assertEqual(len(c["logits"]), 7)


class TestShippedModel(unittest.TestCase):
    """The committed export and parity fixture agree with each other and with the format."""

    def test_shipped(self):
        rep = check_export(SHIPPED)
        self.assertLessEqual(rep["total_bytes"], 4_000_000)
        doc, w = read_export(SHIPPED)
        f = json.loads(FIXTURE.read_text())
        self.assertEqual(f["inputSize"], doc["inputSize"])
        S = doc["inputSize"]
        u8 = np.stack([np.frombuffer(base64.b64decode(c["pixels"]), np.uint8).reshape(c["height"], c["width"]) for c in f["cases"]])
        self.assertEqual(u8.shape[1:], (S, S))
        tg = TorchGraph(doc, w)
        x = tg.normalise(torch.from_numpy(u8.copy()))
        got = tg(x).double().numpy()
        want = np.array([c["logits"] for c in f["cases"]])
        np.testing.assert_allclose(got, want, atol=1e-4)
        lg_np = numpy_forward(doc, w, x[:4].permute(0, 2, 3, 1).double().numpy())
        np.testing.assert_allclose(lg_np, want[:4], atol=1e-3)


if __name__ == "__main__":
    unittest.main()
