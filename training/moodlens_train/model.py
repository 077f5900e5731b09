"""MobileNetV2 for small grey faces, with TensorFlow-style 'same' padding.

The network follows Sandler et al. (2018): a 3x3 stem, inverted residual blocks
(1x1 expand + ReLU6, 3x3 depthwise + ReLU6, linear 1x1 project, residual add when
shapes match), a final 1x1 conv, global average pooling and a dense classifier.

Adaptations for 64x64 grey faces:
- one input channel (the ImageNet stem is summed over RGB, which is exact for grey
  images replicated to RGB);
- the final 1x1 conv is narrowed from 1280 to `last_channels` (0 drops it), which
  keeps the float16 export under 4 MB;
- `strides` lets the stem and the first stride-2 block run at stride 1 (not used by
  the shipped model; see docs/model-card.md).

Padding is explicit and reproduces TensorFlow's 'same' rule (extra pixel at the
bottom/right), so the ImageNet weights see the same geometry they were trained with
and the export can state the padding of every convolution exactly.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (expansion t, output channels c, repeats n, stride s) -- Table 2 of the paper
INVERTED_RESIDUAL_SETTING = [
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]

LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


def make_divisible(v: float, divisor: int = 8) -> int:
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def same_pad(size: int, k: int, s: int) -> tuple[int, int]:
    """TensorFlow 'same' padding along one axis: (before, after)."""
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class ConvBN(nn.Module):
    """Conv (no bias) + BatchNorm + optional ReLU6 with TF 'same' padding."""

    def __init__(self, cin: int, cout: int, k: int, stride: int, groups: int = 1, act: bool = True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding=0, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = act
        self.k = k
        self.stride = stride

    def pads(self, h: int, w: int) -> list[int]:
        """[top, bottom, left, right] for an input of h x w."""
        t, b = same_pad(h, self.k, self.stride)
        l, r = same_pad(w, self.k, self.stride)
        return [t, b, l, r]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.k > 1:
            t, b, l, r = self.pads(x.shape[2], x.shape[3])
            x = F.pad(x, (l, r, t, b))
        x = self.bn(self.conv(x))
        return F.relu6(x) if self.act else x


class InvertedResidual(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, expand: int):
        super().__init__()
        hidden = cin * expand
        self.use_res = stride == 1 and cin == cout
        layers: list[nn.Module] = []
        if expand != 1:
            layers.append(ConvBN(cin, hidden, 1, 1))
        layers.append(ConvBN(hidden, hidden, 3, stride, groups=hidden))
        layers.append(ConvBN(hidden, cout, 1, 1, act=False))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.layers(x)
        return x + y if self.use_res else y


class MobileNetV2Grey(nn.Module):
    def __init__(
        self,
        num_classes: int = 7,
        width: float = 1.0,
        last_channels: int = 384,
        stem_stride: int = 2,
        first_block_stride: int = 2,
        dropout: float = 0.2,
    ):
        super().__init__()
        self.config = dict(
            num_classes=num_classes,
            width=width,
            last_channels=last_channels,
            stem_stride=stem_stride,
            first_block_stride=first_block_stride,
            dropout=dropout,
        )
        cin = make_divisible(32 * width)
        feats: list[nn.Module] = [ConvBN(1, cin, 3, stem_stride)]
        for i, (t, c, n, s) in enumerate(INVERTED_RESIDUAL_SETTING):
            cout = make_divisible(c * width)
            if i == 1:
                s = first_block_stride
            for j in range(n):
                feats.append(InvertedResidual(cin, cout, s if j == 0 else 1, t))
                cin = cout
        if last_channels > 0:
            feats.append(ConvBN(cin, last_channels, 1, 1))
            cin = last_channels
        self.features = nn.Sequential(*feats)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(cin, num_classes)
        self.feature_channels = cin
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        nn.init.normal_(self.classifier.weight, 0, 0.01)
        nn.init.zeros_(self.classifier.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x)
        x = x.mean(dim=(2, 3))
        return self.classifier(self.dropout(x))

    def convbns(self) -> list[ConvBN]:
        return [m for m in self.features.modules() if isinstance(m, ConvBN)]


def load_imagenet(model: MobileNetV2Grey, npz_path: str | Path, json_path: str | Path) -> dict:
    """Copy the folded ImageNet MobileNetV2 1.0 weights into `model`.

    Each folded conv bias becomes the BN beta; gamma = 1, mean = 0 and
    var = 1 - eps so that the BN is exactly the identity plus the bias.
    The stem is summed over RGB. The final 1x1 conv, when narrowed, keeps the
    `last_channels` output filters with the largest L2 norm. The ImageNet classifier is
    not used. Returns a small report.
    """
    if model.config["width"] != 1.0:
        raise ValueError("ImageNet weights exist only for width 1.0")
    ops = json.loads(Path(json_path).read_text())
    z = np.load(npz_path)
    convs = [o for o in ops if o["op"] in ("conv", "depthwise")]
    convs = convs[:-1]  # drop the 1001-way classifier (a 1x1 conv)
    targets = model.convbns()
    has_last = model.config["last_channels"] > 0
    if len(targets) != len(convs) - (0 if has_last else 1):
        raise ValueError(f"layer count mismatch: model {len(targets)} vs ImageNet {len(convs)}")
    report = {"copied": 0, "narrowed": None}
    for op, cb in zip(convs, targets):
        w = z[op["key"] + "_weight"].astype(np.float32)
        b = z[op["key"] + "_bias"].astype(np.float32)
        if op["op"] == "depthwise":
            w = np.transpose(w, (3, 0, 1, 2))  # [1,kh,kw,C] -> [C,1,kh,kw]
        else:
            w = np.transpose(w, (0, 3, 1, 2))  # [out,kh,kw,in] -> [out,in,kh,kw]
        if cb.conv.in_channels == 1 and w.shape[1] == 3:
            w = w.sum(axis=1, keepdims=True)
        if w.shape[0] != cb.conv.out_channels:
            # the narrowed last conv: keep the strongest filters
            norms = np.linalg.norm(w.reshape(w.shape[0], -1), axis=1)
            keep = np.sort(np.argsort(-norms)[: cb.conv.out_channels])
            w, b = w[keep], b[keep]
            report["narrowed"] = f"{op['key']}: kept {len(keep)} of {len(norms)} filters (largest L2 norm)"
        if tuple(w.shape) != tuple(cb.conv.weight.shape):
            raise ValueError(f"{op['key']}: shape {w.shape} vs {tuple(cb.conv.weight.shape)}")
        if op["stride"] != cb.stride:
            # allowed: a modified early stride; the weights still apply
            pass
        with torch.no_grad():
            cb.conv.weight.copy_(torch.from_numpy(w))
            cb.bn.weight.fill_(1.0)
            cb.bn.bias.copy_(torch.from_numpy(b))
            cb.bn.running_mean.zero_()
            cb.bn.running_var.fill_(1.0 - cb.bn.eps)
        report["copied"] += 1
    return report


def fold_bn(cb: ConvBN) -> tuple[np.ndarray, np.ndarray]:
    """Return (weight [out, in/groups, kh, kw], bias [out]) with BN folded in (float64)."""
    w = cb.conv.weight.detach().double().numpy()
    bn = cb.bn
    scale = bn.weight.detach().double().numpy() / np.sqrt(bn.running_var.detach().double().numpy() + bn.eps)
    bias = bn.bias.detach().double().numpy() - bn.running_mean.detach().double().numpy() * scale
    return w * scale[:, None, None, None], bias
