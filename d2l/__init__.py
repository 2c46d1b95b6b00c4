"""The d2l package of this book.

`from d2l import torch as d2l` gives the PyTorch API that the notebooks build
(generated into `d2l/torch.py` from `#@save` cells). The hand-written modules
`d2l.quickmode` and `d2l.hub` hold plumbing the book does not teach.
"""
__version__ = '0.1.0'
