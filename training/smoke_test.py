#!/usr/bin/env python3
"""CI smoke test of the Python side: `/usr/bin/python3 training/smoke_test.py` (exit code 0 = pass).

Runs training/tests/ (data loading and malformed-row accounting, ImageNet init, seeded
augmentation, a one-batch training step, resume, export, format validation, NumPy vs
PyTorch logits parity, and the committed model + parity fixture).
"""
import sys
import unittest
from pathlib import Path

here = Path(__file__).resolve().parent
suite = unittest.defaultTestLoader.discover(str(here / "tests"), top_level_dir=str(here / "tests"))
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
