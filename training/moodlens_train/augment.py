"""Batched, seeded augmentation and preprocessing on CPU tensors.

Everything is vectorised over the batch (one affine_grid/grid_sample call), which is
far cheaper on two cores than per-image PIL transforms.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def to_input(u8: torch.Tensor, size: int) -> torch.Tensor:
    """Deterministic preprocessing: uint8 [B,48,48] -> float [B,1,size,size] in [-1, 1].

    Bilinear resize with half-pixel centres (align_corners=False, no antialiasing),
    then x = grey * (2/255) - 1 (the export's scale/offset).
    """
    x = u8.float().unsqueeze(1)
    if x.shape[-1] != size or x.shape[-2] != size:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return x * (2.0 / 255.0) - 1.0


def augment(u8: torch.Tensor, size: int, g: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    """Training augmentation: uint8 [B,48,48] -> float [B,1,size,size] in [-1, 1].

    - random resized crop as an affine warp: isotropic zoom 0.85-1.15 (x strength),
      aspect jitter +-10 %, rotation +-12 deg, translation +-8 % of the side;
    - horizontal flip with p = 0.5;
    - brightness +-0.15 (of the full range) and contrast x0.7-1.3 around the image mean;
    - random erasing (p = 0.25, 2-20 % of the area, aspect 0.3-3.3, uniform noise fill).
    """
    B = u8.shape[0]
    x = u8.float().unsqueeze(1) / 255.0

    def U(lo: float, hi: float, n: int = B) -> torch.Tensor:
        return torch.rand(n, generator=g) * (hi - lo) + lo

    zoom = 1.0 + (U(-0.15, 0.15)) * strength
    aspect = torch.exp(U(math.log(0.9), math.log(1.1)) * strength)
    rot = U(-12.0, 12.0) * strength * math.pi / 180.0
    tx = U(-0.08, 0.08) * 2 * strength
    ty = U(-0.08, 0.08) * 2 * strength
    flip = torch.where(torch.rand(B, generator=g) < 0.5, -1.0, 1.0)
    sx = flip * torch.sqrt(aspect) / zoom
    sy = 1.0 / (torch.sqrt(aspect) * zoom)
    cos, sin = torch.cos(rot), torch.sin(rot)
    theta = torch.stack(
        [torch.stack([cos * sx, -sin * sy, tx], 1), torch.stack([sin * sx, cos * sy, ty], 1)], 1
    )
    grid = F.affine_grid(theta, [B, 1, size, size], align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)

    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    contrast = (1.0 + U(-0.3, 0.3) * strength).view(B, 1, 1, 1)
    bright = (U(-0.15, 0.15) * strength).view(B, 1, 1, 1)
    x = ((x - mean) * contrast + mean + bright).clamp(0.0, 1.0)
    x = x * 2.0 - 1.0

    # random erasing
    erase = torch.rand(B, generator=g) < 0.25
    if erase.any():
        area = U(0.02, 0.20) * size * size
        ar = torch.exp(U(math.log(0.3), math.log(3.3)))
        h = torch.sqrt(area * ar).clamp(1, size - 1).long()
        w = torch.sqrt(area / ar).clamp(1, size - 1).long()
        top = (torch.rand(B, generator=g) * (size - h + 1).float()).long()
        left = (torch.rand(B, generator=g) * (size - w + 1).float()).long()
        ii = torch.arange(size).view(1, size, 1)
        jj = torch.arange(size).view(1, 1, size)
        m = (
            (ii >= top.view(B, 1, 1))
            & (ii < (top + h).view(B, 1, 1))
            & (jj >= left.view(B, 1, 1))
            & (jj < (left + w).view(B, 1, 1))
            & erase.view(B, 1, 1)
        ).unsqueeze(1)
        noise = torch.rand(x.shape, generator=g) * 2.0 - 1.0
        x = torch.where(m, noise, x)
    return x
