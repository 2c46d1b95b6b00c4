"""Tests of Section 12.2 (convexity): the notebook's `project_l2`,
`project_l1` and `violations`, executed from the notebook's own cells.
Section 12.2 saves no code to d2l.
"""
import itertools

import pytest
import torch

from notebook_cells import notebook_code

NB = notebook_code('optimization/convexity.md',
                   ('def quartic(', 'def violations(', 'def project_l2(',
                    'def project_l1('))
project_l2, project_l1 = NB['project_l2'], NB['project_l1']
f64 = torch.float64


def test_l2_projection_keeps_inside_points_and_scales_outside_ones():
    inside = torch.tensor([0.3, -0.4], dtype=f64)
    assert torch.equal(project_l2(inside, 1.0), inside)
    out = project_l2(torch.tensor([3.0, -4.0], dtype=f64), 1.0)
    assert torch.allclose(out, torch.tensor([0.6, -0.8], dtype=f64))
    assert out.shape == (2,)


def test_l1_projection_hand_example_and_sparsity():
    x = torch.tensor([0.9, -0.2, 0.35, 0.05, -1.4], dtype=f64)
    p = project_l1(x, 1.0)
    assert torch.allclose(p, torch.tensor([0.25, 0, 0, 0, -0.75], dtype=f64))
    assert p.abs().sum().item() == pytest.approx(1.0)
    assert torch.equal(project_l1(x / 10, 1.0), x / 10)     # already inside


@pytest.mark.parametrize('seed', range(5))
def test_projections_are_optimal(seed):
    # x - P(x) makes an obtuse angle with every z - P(x), z in the set; for
    # the l1 ball it suffices to check the vertices +-r e_i.
    torch.manual_seed(seed)
    d, r = 6, 1.5
    x = 3 * torch.randn(d, dtype=f64)
    p = project_l1(x, r)
    assert p.abs().sum().item() <= r + 1e-12
    vertices = torch.cat([r * torch.eye(d, dtype=f64),
                          -r * torch.eye(d, dtype=f64)])
    assert ((vertices - p) @ (x - p) <= 1e-10).all()
    q = project_l2(x, r)
    z = torch.randn(200, d, dtype=f64)
    z = z / z.norm(dim=1, keepdim=True) * r * torch.rand(200, 1, dtype=f64)
    assert ((z - q) @ (x - q) <= 1e-10).all()


def test_projections_do_not_expand_distances():
    torch.manual_seed(0)
    pts = 2 * torch.randn(20, 4, dtype=f64)
    for proj in (project_l1, project_l2):
        P = [proj(p, 1.0) for p in pts]
        for i, j in itertools.combinations(range(20), 2):
            assert (P[i] - P[j]).norm() <= (pts[i] - pts[j]).norm() + 1e-12


def test_chord_violations_separate_convex_from_nonconvex():
    torch.manual_seed(0)
    NB['x'], NB['x2'] = torch.rand(2, 2000, dtype=f64) * 4 - 2
    NB['lam'] = torch.rand(2000, dtype=f64)
    assert NB['violations'](NB['quartic']) == 0.0
    assert NB['violations'](NB['softplus2']) == 0.0
    assert NB['violations'](NB['wave']) > 0.3
