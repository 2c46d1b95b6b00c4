"""The d2l package of this book.

`from d2l import torch as d2l` gives the PyTorch API that the notebooks build
(generated into `d2l/torch.py` from `#@save` cells). Beside it, hand-written
modules hold the plumbing the book does not teach: quick mode, the data hub,
argument checks, the live-plot engine and the Fashion-MNIST file reader. Each
one's docstring says what it does and why.
"""
__version__ = '0.1.0'
