"""Export a trained MobileNetV2Grey to the moodlens emotion-classifier format, and two
independent reference executors of that format (PyTorch float32 and NumPy float64).

Format: see docs/model-card.md ("Export format") -- `model.json` holds a list of graph
nodes (conv2d, depthwiseConv2d, add, globalAveragePool, dense) with explicit
[top, bottom, left, right] zero padding, BN folded into each convolution, TF.js layouts
(conv2d [kh, kw, in, out], depthwise [kh, kw, C, 1], dense [in, out]) and a standard
TF.js weights manifest; `weights.bin` holds the weights as little-endian IEEE float16
in manifest order.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .model import LABELS, ConvBN, InvertedResidual, MobileNetV2Grey, fold_bn

FORMAT = "moodlens/emotion-classifier"
FORMAT_VERSION = 1
SCALE = 2.0 / 255.0
OFFSET = -1.0


def build_graph(model: MobileNetV2Grey, input_size: int) -> tuple[list[dict], list[tuple[str, np.ndarray]]]:
    """Return (nodes, weights) where weights are (name, float64 array in TF.js layout)."""
    model = model.eval()
    nodes: list[dict] = []
    weights: list[tuple[str, np.ndarray]] = []
    h = w = input_size
    cur = "input"

    def conv_node(cb: ConvBN, name: str, inp: str) -> str:
        nonlocal h, w
        wt, b = fold_bn(cb)
        pad = cb.pads(h, w) if cb.k > 1 else [0, 0, 0, 0]
        if cb.conv.groups == 1:
            op = "conv2d"
            tf_w = np.transpose(wt, (2, 3, 1, 0))  # [out,in,kh,kw] -> [kh,kw,in,out]
            wkey = "filter"
        elif cb.conv.groups == cb.conv.in_channels == cb.conv.out_channels:
            op = "depthwiseConv2d"
            tf_w = np.transpose(wt, (2, 3, 0, 1))  # [C,1,kh,kw] -> [kh,kw,C,1]
            wkey = "filter"
        else:
            raise ValueError("grouped convolutions other than depthwise are not in the format")
        weights.append((f"{name}/filter", np.ascontiguousarray(tf_w)))
        weights.append((f"{name}/bias", b))
        out = name
        nodes.append(
            {
                "op": op,
                "inputs": [inp],
                "output": out,
                "weights": {wkey: f"{name}/filter", "bias": f"{name}/bias"},
                "strides": cb.stride,
                "pad": pad,
                "activation": "relu6" if cb.act else "linear",
            }
        )
        h = (h + pad[0] + pad[1] - cb.k) // cb.stride + 1
        w = (w + pad[2] + pad[3] - cb.k) // cb.stride + 1
        return out

    for i, m in enumerate(model.features):
        if isinstance(m, ConvBN):
            cur = conv_node(m, f"features.{i}", cur)
        elif isinstance(m, InvertedResidual):
            block_in = cur
            for j, cb in enumerate(m.layers):
                cur = conv_node(cb, f"features.{i}.{j}", cur)
            if m.use_res:
                nodes.append({"op": "add", "inputs": [block_in, cur], "output": f"features.{i}.add"})
                cur = f"features.{i}.add"
        else:
            raise ValueError(f"unexpected module {type(m)}")
    nodes.append({"op": "globalAveragePool", "inputs": [cur], "output": "pool"})
    kw = model.classifier.weight.detach().double().numpy().T  # [in, out]
    kb = model.classifier.bias.detach().double().numpy()
    weights.append(("classifier/kernel", np.ascontiguousarray(kw)))
    weights.append(("classifier/bias", kb))
    nodes.append(
        {
            "op": "dense",
            "inputs": ["pool"],
            "output": "logits",
            "weights": {"kernel": "classifier/kernel", "bias": "classifier/bias"},
            "activation": "linear",
        }
    )
    return nodes, weights


def write_export(
    model: MobileNetV2Grey,
    input_size: int,
    out_dir: str | Path,
    training_info: dict | None = None,
    dtype: str = "float16",
) -> dict:
    """Write model.json + weights.bin; return a report (sizes, float16 rounding stats)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nodes, weights = build_graph(model, input_size)
    manifest = []
    chunks = []
    max_abs, max_rel = 0.0, 0.0
    for name, arr in weights:
        if dtype == "float16":
            if np.abs(arr).max() >= 65504:
                raise ValueError(f"{name} overflows float16")
            q = arr.astype("<f2")
            d = np.abs(q.astype(np.float64) - arr)
            max_abs = max(max_abs, float(d.max()))
            entry = {"name": name, "shape": list(arr.shape), "dtype": "float32", "quantization": {"dtype": "float16"}}
        elif dtype == "float32":
            q = arr.astype("<f4")
            entry = {"name": name, "shape": list(arr.shape), "dtype": "float32"}
        else:
            raise ValueError(dtype)
        manifest.append(entry)
        chunks.append(q.tobytes(order="C"))
    blob = b"".join(chunks)
    (out_dir / "weights.bin").write_bytes(blob)
    doc = {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "architecture": "mobilenet_v2",
        "inputSize": input_size,
        "input": {"channels": 1, "scale": SCALE, "offset": OFFSET},
        "labels": LABELS,
        "graph": nodes,
        "weightsManifest": [{"paths": ["weights.bin"], "weights": manifest}],
        "training": training_info or {},
    }
    text = json.dumps(doc, indent=1) + "\n"
    (out_dir / "model.json").write_text(text)
    n_params = int(sum(a.size for _, a in weights))
    return {
        "params": n_params,
        "weights_bytes": len(blob),
        "model_json_bytes": len(text.encode()),
        "total_bytes": len(blob) + len(text.encode()),
        "float16_max_abs_rounding": max_abs,
        "nodes": len(nodes),
    }


# ---------------------------------------------------------------------------------------
# Reading the format back


def read_export(model_dir: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Parse model.json + weights.bin, validating the manifest against the file's length."""
    model_dir = Path(model_dir)
    doc = json.loads((model_dir / "model.json").read_text())
    if doc.get("format") != FORMAT or doc.get("formatVersion") != FORMAT_VERSION:
        raise ValueError("not a moodlens emotion classifier v1")
    groups = doc["weightsManifest"]
    if len(groups) != 1 or groups[0]["paths"] != ["weights.bin"]:
        raise ValueError("expected one shard, weights.bin")
    blob = (model_dir / "weights.bin").read_bytes()
    out: dict[str, np.ndarray] = {}
    off = 0
    for e in groups[0]["weights"]:
        n = int(np.prod(e["shape"])) if e["shape"] else 1
        q = (e.get("quantization") or {}).get("dtype")
        if e["dtype"] != "float32":
            raise ValueError(f"{e['name']}: dtype {e['dtype']}")
        if q == "float16":
            nb = 2 * n
            arr = np.frombuffer(blob, "<f2", n, off).astype(np.float32)
        elif q is None:
            nb = 4 * n
            arr = np.frombuffer(blob, "<f4", n, off).astype(np.float32)
        else:
            raise ValueError(f"{e['name']}: quantization {q}")
        if off + nb > len(blob):
            raise ValueError("weights.bin shorter than its manifest")
        out[e["name"]] = arr.reshape(e["shape"])
        off += nb
    if off != len(blob):
        raise ValueError(f"weights.bin has {len(blob)} bytes, manifest describes {off}")
    return doc, out


def _act(x, a: str, lib):
    if a == "relu6":
        return lib.clip(x, 0, 6) if lib is np else torch.clamp(x, 0, 6)
    if a == "relu":
        return np.maximum(x, 0) if lib is np else torch.relu(x)
    if a in ("linear", None):
        return x
    raise ValueError(a)


class TorchGraph(torch.nn.Module):
    """PyTorch (float32, NCHW) executor of an exported graph: the 'expected logits' of the
    parity fixture come from this, i.e. from the folded, float16-rounded weights."""

    def __init__(self, doc: dict, weights: dict[str, np.ndarray]):
        super().__init__()
        self.doc = doc
        self.w = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in weights.items()}

    def normalise(self, u8: torch.Tensor) -> torch.Tensor:
        """uint8 [n, S, S] -> float [n, 1, S, S] using the file's scale/offset."""
        inp = self.doc["input"]
        return u8.float().unsqueeze(1) * inp["scale"] + inp["offset"]

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        env = {"input": x}
        for nd in self.doc["graph"]:
            op = nd["op"]
            xs = [env[i] for i in nd["inputs"]]
            if op in ("conv2d", "depthwiseConv2d"):
                f = self.w[nd["weights"]["filter"]]
                b = self.w[nd["weights"]["bias"]]
                t, bo, l, r = nd["pad"]
                y = F.pad(xs[0], (l, r, t, bo))
                if op == "conv2d":
                    y = F.conv2d(y, f.permute(3, 2, 0, 1), b, stride=nd["strides"])
                else:
                    c = f.shape[2]
                    y = F.conv2d(y, f.permute(2, 3, 0, 1), b, stride=nd["strides"], groups=c)
                y = _act(y, nd.get("activation", "linear"), torch)
            elif op == "add":
                y = xs[0] + xs[1]
            elif op == "globalAveragePool":
                y = xs[0].mean(dim=(2, 3))
            elif op == "dense":
                y = xs[0] @ self.w[nd["weights"]["kernel"]] + self.w[nd["weights"]["bias"]]
                y = _act(y, nd.get("activation", "linear"), torch)
            else:
                raise ValueError(op)
            env[nd["output"]] = y
        return env[self.doc["graph"][-1]["output"]]


def numpy_forward(doc: dict, weights: dict[str, np.ndarray], x_nhwc: np.ndarray) -> np.ndarray:
    """Independent NumPy float64 re-implementation of the graph, NHWC as in TF.js, written
    directly from the format description (im2col convolution, zero padding, TF.js layouts)."""
    env = {"input": x_nhwc.astype(np.float64)}
    W = {k: v.astype(np.float64) for k, v in weights.items()}
    for nd in doc["graph"]:
        op = nd["op"]
        xs = [env[i] for i in nd["inputs"]]
        if op in ("conv2d", "depthwiseConv2d"):
            f, b, s = W[nd["weights"]["filter"]], W[nd["weights"]["bias"]], nd["strides"]
            t, bo, l, r = nd["pad"]
            x = np.pad(xs[0], ((0, 0), (t, bo), (l, r), (0, 0)))
            n, H, Wd, C = x.shape
            kh, kw = f.shape[0], f.shape[1]
            oh, ow = (H - kh) // s + 1, (Wd - kw) // s + 1
            # patches [n, oh, ow, kh, kw, C]
            patches = np.empty((n, oh, ow, kh, kw, C))
            for i in range(kh):
                for j in range(kw):
                    patches[:, :, :, i, j, :] = x[:, i : i + s * (oh - 1) + 1 : s, j : j + s * (ow - 1) + 1 : s, :]
            if op == "conv2d":
                y = np.tensordot(patches, f, axes=([3, 4, 5], [0, 1, 2]))  # -> [n,oh,ow,out]
            else:
                y = np.einsum("nhwijc,ijc->nhwc", patches, f[:, :, :, 0])
            y = _act(y + b, nd.get("activation", "linear"), np)
        elif op == "add":
            y = xs[0] + xs[1]
        elif op == "globalAveragePool":
            y = xs[0].mean(axis=(1, 2))
        elif op == "dense":
            y = _act(xs[0] @ W[nd["weights"]["kernel"]] + W[nd["weights"]["bias"]], nd.get("activation", "linear"), np)
        else:
            raise ValueError(op)
        env[nd["output"]] = y
    return env[doc["graph"][-1]["output"]]


def check_export(model_dir: str | Path, max_bytes: int = 4_000_000) -> dict:
    """Validate an export against the format description; raises on any violation."""
    doc, weights = read_export(model_dir)
    model_dir = Path(model_dir)
    total = (model_dir / "model.json").stat().st_size + (model_dir / "weights.bin").stat().st_size
    if total > max_bytes:
        raise ValueError(f"export is {total} bytes > {max_bytes}")
    if doc["labels"] != LABELS:
        raise ValueError("labels")
    S = doc["inputSize"]
    if doc["input"] != {"channels": 1, "scale": SCALE, "offset": OFFSET}:
        raise ValueError(f"input {doc['input']}")
    shapes = {"input": (S, S, 1)}
    used = set()
    for nd in doc["graph"]:
        op = nd["op"]
        for i in nd["inputs"]:
            if i not in shapes:
                raise ValueError(f"{nd['output']}: unknown input {i}")
        if nd["output"] in shapes:
            raise ValueError(f"tensor {nd['output']} defined twice")
        if op in ("conv2d", "depthwiseConv2d"):
            h, w, c = shapes[nd["inputs"][0]]
            f = weights[nd["weights"]["filter"]]
            b = weights[nd["weights"]["bias"]]
            used.update(nd["weights"].values())
            t, bo, l, r = nd["pad"]
            s = nd["strides"]
            if s not in (1, 2) or len(nd["pad"]) != 4 or min(nd["pad"]) < 0:
                raise ValueError(f"{nd['output']}: strides/pad")
            if op == "conv2d":
                if f.ndim != 4 or f.shape[2] != c:
                    raise ValueError(f"{nd['output']}: filter {f.shape} for {c} channels")
                cout = f.shape[3]
            else:
                if f.ndim != 4 or f.shape[2] != c or f.shape[3] != 1:
                    raise ValueError(f"{nd['output']}: depthwise filter {f.shape} for {c} channels")
                cout = c
            if b.shape != (cout,):
                raise ValueError(f"{nd['output']}: bias {b.shape}")
            oh = (h + t + bo - f.shape[0]) // s + 1
            ow = (w + l + r - f.shape[1]) // s + 1
            shapes[nd["output"]] = (oh, ow, cout)
        elif op == "add":
            a, bb = (shapes[i] for i in nd["inputs"])
            if a != bb:
                raise ValueError(f"{nd['output']}: add {a} + {bb}")
            shapes[nd["output"]] = a
        elif op == "globalAveragePool":
            shapes[nd["output"]] = (shapes[nd["inputs"][0]][2],)
        elif op == "dense":
            k = weights[nd["weights"]["kernel"]]
            used.update(nd["weights"].values())
            if k.shape[0] != shapes[nd["inputs"][0]][0] or weights[nd["weights"]["bias"]].shape != (k.shape[1],):
                raise ValueError(f"{nd['output']}: dense {k.shape}")
            shapes[nd["output"]] = (k.shape[1],)
        else:
            raise ValueError(f"unknown op {op}")
    if shapes[doc["graph"][-1]["output"]] != (7,):
        raise ValueError("output is not 7 logits")
    if used != set(weights):
        raise ValueError(f"unused weights: {set(weights) - used}")
    return {"total_bytes": total, "nodes": len(doc["graph"]), "params": int(sum(v.size for v in weights.values()))}
