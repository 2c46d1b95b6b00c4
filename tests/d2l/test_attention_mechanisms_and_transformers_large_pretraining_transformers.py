"""Tests of Section 11.9 (large-pretraining-transformers): the scaling-law
functions `power_law`, `kaplan_loss`, `tokens_to_reach`, `train_flops`,
`chinchilla_loss` and `compute_optimal`, and the published constants they
use.

They are notebook-local, so the tests execute the notebook's own cells that
define them (found by their first line). Oracles: the limits of the
formulas, hand-computed values, the figure GPT-3's authors report, and a
brute-force search along a budget.
"""
import math

import pytest
import torch

from notebook_cells import notebook_code

DEFINES = ('# fitted by Kaplan et al.', "# Kaplan et al.'s joint fit",
           'def tokens_to_reach(', 'def train_flops(',
           'CHINCHILLA = dict(')

NB = notebook_code(
    'attention-mechanisms-and-transformers/large-pretraining-transformers.md',
    DEFINES)
NB['math'] = math          # the notebook's first cell imports it
KAPLAN, KAPLAN_ND, CHINCHILLA = (NB['KAPLAN'], NB['KAPLAN_ND'],
                                 NB['CHINCHILLA'])
power_law, kaplan_loss = NB['power_law'], NB['kaplan_loss']
tokens_to_reach, train_flops = NB['tokens_to_reach'], NB['train_flops']
chinchilla_loss, compute_optimal = (NB['chinchilla_loss'],
                                    NB['compute_optimal'])


def test_published_constants():
    assert KAPLAN == {'N': (0.076, 8.8e13), 'D': (0.095, 5.4e13),
                      'C': (0.050, 3.1e8)}
    # Kaplan et al. (2020), Table 2: the joint fit of L(N, D)
    assert KAPLAN_ND == {'N': (0.076, 6.4e13), 'D': (0.103, 1.8e13)}
    assert CHINCHILLA == dict(E=1.69, A=406.4, B=410.7, alpha=0.34,
                              beta=0.28)


def test_power_law_values():
    assert power_law(8.0, 1 / 3, 1.0).item() == pytest.approx(0.5)
    assert power_law(2.0, 0.5, 2.0).item() == pytest.approx(1.0)
    x = torch.tensor([1.0, 10.0, 100.0])
    y = power_law(x, 0.1, 1e3)
    assert y.shape == (3,) and y.dtype == torch.float64
    ratios = y[1:] / y[:-1]                 # a straight line on log-log axes
    assert torch.allclose(ratios, torch.full((2,), 10 ** -0.1,
                                             dtype=torch.float64))


@pytest.mark.parametrize('args', [(0.0, 0.1, 1.0), (-1.0, 0.1, 1.0),
                                  (1.0, 0.0, 1.0), (1.0, 0.1, -5.0)])
def test_power_law_refuses_non_positive_inputs(args):
    with pytest.raises(ValueError, match='power_law needs x, alpha and x_c'):
        power_law(*args)


def test_kaplan_loss_limits_are_power_laws_with_the_joint_constants():
    N = torch.tensor([1e6, 1e8, 1e10])
    assert torch.allclose(kaplan_loss(N, 1e30),
                          power_law(N, *KAPLAN_ND['N']))
    D = torch.tensor([1e8, 1e10, 1e12])
    assert torch.allclose(kaplan_loss(1e30, D),
                          power_law(D, *KAPLAN_ND['D']))


def test_tokens_to_reach_quoted_values():
    # hand-computed from the joint constants: D_c / (3^(1/a_D) - (N_c/N)^(a_N/a_D))
    for N in (1e8, 1e9):
        slack = 3.0 ** (1 / 0.103) - (6.4e13 / N) ** (0.076 / 0.103)
        assert tokens_to_reach(N, 3.0) == pytest.approx(1.8e13 / slack)
    assert f'{tokens_to_reach(1e9, 3.0):.2e}' == '4.57e+08'
    assert f'{tokens_to_reach(1e8, 3.0):.2e}' == '7.61e+08'


def test_kaplan_loss_falls_with_size_and_data():
    losses = kaplan_loss(torch.tensor([1e6, 1e7, 1e8]), 1e10)
    assert (losses[1:] < losses[:-1]).all()
    assert kaplan_loss(1e8, 1e11) < kaplan_loss(1e8, 1e9)


def test_kaplan_loss_refuses_non_positive_inputs():
    with pytest.raises(ValueError, match='N > 0 and D > 0'):
        kaplan_loss(0, 1e9)
    with pytest.raises(ValueError, match='N > 0 and D > 0'):
        kaplan_loss(1e9, torch.tensor([1e9, -1.0]))


def test_tokens_to_reach_inverts_kaplan_loss():
    D = tokens_to_reach(1e9, 3.0)
    assert kaplan_loss(1e9, D).item() == pytest.approx(3.0)
    assert kaplan_loss(1e9, 0.99 * D).item() > 3.0


def test_tokens_to_reach_is_infinite_below_the_floor():
    floor = power_law(1e7, *KAPLAN_ND['N']).item()     # L(N) as D -> inf
    assert tokens_to_reach(1e7, 0.99 * floor) == math.inf
    assert tokens_to_reach(1e7, 1.01 * floor) < math.inf


def test_train_flops_matches_gpt3_report():
    # Brown et al. (2020) report 3.14e23 FLOPs for GPT-3 175B on 300B tokens
    assert train_flops(175e9, 300e9) == pytest.approx(3.14e23, rel=0.01)
    assert train_flops(2, 3) == 36


def test_chinchilla_loss_value_and_limit():
    loss = chinchilla_loss(1e9, 1e10, **CHINCHILLA).item()
    expected = 1.69 + 406.4 / 1e9 ** 0.34 + 410.7 / 1e10 ** 0.28
    assert loss == pytest.approx(expected)
    assert chinchilla_loss(1e40, 1e40, **CHINCHILLA).item() == \
        pytest.approx(1.69, abs=1e-6)


def test_chinchilla_loss_refuses_non_positive_inputs():
    with pytest.raises(ValueError, match='N > 0 and D > 0'):
        chinchilla_loss(-1.0, 1e9, **CHINCHILLA)


@pytest.mark.parametrize('C', [1e20, 5.04e23, 1e26])
def test_compute_optimal_spends_the_budget_at_the_minimum(C):
    N_opt, D_opt = compute_optimal(C, **CHINCHILLA)
    assert train_flops(N_opt, D_opt) == pytest.approx(C)
    N = N_opt * torch.logspace(-1, 1, 201, dtype=torch.float64)
    losses = chinchilla_loss(N, C / (6 * N), **CHINCHILLA)
    best = N[losses.argmin()].item()
    assert best == pytest.approx(N_opt, rel=0.03)       # grid step ~2.3%


def test_compute_optimal_exponents():
    """Ten times the budget multiplies N by 10**(beta/(alpha+beta))."""
    (N1, D1), (N2, D2) = (compute_optimal(C, **CHINCHILLA)
                          for C in (1e22, 1e23))
    assert N2 / N1 == pytest.approx(10 ** (0.28 / 0.62))
    assert D2 / D1 == pytest.approx(10 ** (0.34 / 0.62))


def test_compute_optimal_refuses_a_non_positive_budget():
    with pytest.raises(ValueError, match='compute_optimal needs C > 0'):
        compute_optimal(0.0, **CHINCHILLA)
