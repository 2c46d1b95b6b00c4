"""Tests of the t distribution, t-tests and t-intervals saved in Section A.10
(statistics), with scipy.stats as the independent oracle."""
import math

import numpy as np
import pytest
import torch

from d2l import torch as d2l

stats = pytest.importorskip('scipy.stats')

DFS = [1, 1.1, 1.5, 1.9, 2, 2.5, 3, 4.5, 10, 29, 100, 1000, 100_000]
TS = [-40.0, -3.0, -1.0, 0.0, 0.3, 1.96, 4.0, 25.0]


def _sample(seed, n, loc=0.0, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    return loc + scale * torch.randn(n, generator=gen, dtype=torch.float64)


# ---------------------------------------------------------------- t_tail --
@pytest.mark.parametrize('df', DFS)
def test_t_tail_matches_scipy_survival_function(df):
    for t in TS:
        assert d2l.t_tail(t, df) == pytest.approx(stats.t.sf(t, df),
                                                 abs=1e-9)


def test_t_tail_is_accurate_near_one_degree_of_freedom():
    # Welch's df can land anywhere in (1, 2), where cos(phi)**(df - 1) has an
    # infinite slope at phi = pi/2; the plain Simpson rule was off by 3e-5.
    for df in (1.01, 1.1, 1.5):
        for t in (0.05, 0.5, 1.0, 3.0, 100.0):
            assert d2l.t_tail(t, df) == pytest.approx(stats.t.sf(t, df),
                                                     abs=1e-12)


def test_t_tail_is_symmetric():
    for df in (1.2, 3.7, 40):
        for t in (0.4, 2.5):
            assert d2l.t_tail(-t, df) == pytest.approx(1 - d2l.t_tail(t, df),
                                                      abs=1e-15)


def test_t_tail_hand_checkable_values():
    assert d2l.t_tail(0.0, 7) == pytest.approx(0.5, abs=1e-12)
    assert d2l.t_tail(1.0, 1) == pytest.approx(0.25, abs=1e-12)  # Cauchy
    assert d2l.t_tail(-1.0, 1) == pytest.approx(0.75, abs=1e-12)
    assert d2l.t_tail(math.inf, 3) == 0.0
    assert d2l.t_tail(-math.inf, 3) == pytest.approx(1.0, abs=1e-12)


def test_t_tail_returns_a_float_and_accepts_integral_types():
    for df in (5, np.int64(5), torch.tensor(5), 5.0):
        value = d2l.t_tail(torch.tensor(2.0), df)
        assert isinstance(value, float)
        assert value == pytest.approx(stats.t.sf(2.0, 5), abs=1e-9)


def test_t_tail_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r'df must be a number >= 1'):
        d2l.t_tail(1.0, 0.5)
    with pytest.raises(TypeError, match='df must be a real number'):
        d2l.t_tail(1.0, True)
    with pytest.raises(ValueError, match='t must be a finite number'):
        d2l.t_tail(math.nan, 3)
    with pytest.raises(TypeError, match='t must be a real number'):
        d2l.t_tail(torch.ones(2), 3)


# ------------------------------------------------------------ t_quantile --
@pytest.mark.parametrize('df', [1, 2, 5, 9, 30, 250.5])
def test_t_quantile_matches_scipy_ppf(df):
    for q in (0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.995):
        assert d2l.t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df),
                                                     rel=1e-7, abs=1e-9)


def test_t_quantile_inverts_t_tail():
    t = d2l.t_quantile(0.9, 12)
    assert 1 - d2l.t_tail(t, 12) == pytest.approx(0.9, abs=1e-10)
    assert d2l.t_quantile(0.975, 1) == pytest.approx(12.7062047, abs=1e-6)


def test_t_quantile_rejects_probabilities_outside_the_open_interval():
    for q in (0, 1, 0.0, 1.0):
        with pytest.raises(ValueError, match='strictly between 0 and 1'):
            d2l.t_quantile(q, 4)
    with pytest.raises(ValueError, match=r'q must be a number <= 1'):
        d2l.t_quantile(1.5, 4)
    with pytest.raises(ValueError, match=r'df must be a number >= 1'):
        d2l.t_quantile(0.5, 0)


# ---------------------------------------------------------------- t_test --
@pytest.mark.parametrize('alternative', ['two-sided', 'greater', 'less'])
@pytest.mark.parametrize('mu', [0.0, 0.4])
def test_one_sample_t_test_matches_scipy(alternative, mu):
    x = _sample(0, 12, loc=0.5)
    got = d2l.t_test(x, mu=mu, alternative=alternative)
    want = stats.ttest_1samp(x.numpy(), popmean=mu, alternative=alternative)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.df == 11
    assert got.p_value == pytest.approx(want.pvalue, abs=1e-9)


@pytest.mark.parametrize('alternative', ['two-sided', 'greater', 'less'])
def test_welch_t_test_matches_scipy(alternative):
    x, y = _sample(1, 9, loc=1.0, scale=1.0), _sample(2, 15, scale=3.0)
    got = d2l.t_test(x, y, alternative=alternative)
    want = stats.ttest_ind(x.numpy(), y.numpy(), equal_var=False,
                           alternative=alternative)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.df == pytest.approx(want.df, rel=1e-12)
    assert got.p_value == pytest.approx(want.pvalue, abs=1e-9)


def test_welch_t_test_with_a_hypothesised_difference():
    x, y = _sample(3, 20, loc=2.0), _sample(4, 25)
    got = d2l.t_test(x, y, mu=1.5)
    want = stats.ttest_ind(x.numpy() - 1.5, y.numpy(), equal_var=False)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.p_value == pytest.approx(want.pvalue, abs=1e-9)


def test_t_test_hand_checkable_value():
    # mean 2, sample sd 1 (values 1, 2, 3), n = 3: t = 2 / (1 / sqrt(3))
    result = d2l.t_test([1, 2, 3])
    assert result.statistic == pytest.approx(2 * math.sqrt(3))
    assert result.df == 2
    assert result.p_value == pytest.approx(2 * stats.t.sf(2 * math.sqrt(3), 2),
                                           abs=1e-9)


def test_t_test_result_fields_and_input_kinds():
    for x in ([0.1, 0.5, -0.2, 0.9], np.array([0.1, 0.5, -0.2, 0.9]),
              torch.tensor([0.1, 0.5, -0.2, 0.9])):
        result = d2l.t_test(x)
        assert result._fields == ('statistic', 'df', 'p_value')
        assert all(isinstance(v, (int, float)) for v in result)
        assert 0 <= result.p_value <= 1


def test_t_test_two_sided_p_value_never_exceeds_one():
    assert d2l.t_test([-1.0, 1.0, 0.0]).p_value == pytest.approx(1.0)


def test_t_test_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r'x must be 1-D with at least 2'):
        d2l.t_test(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r'shape \(1,\)'):
        d2l.t_test([1.0])
    with pytest.raises(ValueError, match=r'y must be 1-D'):
        d2l.t_test([1.0, 2.0], [3.0])
    with pytest.raises(ValueError, match='alternative must be one of'):
        d2l.t_test([1.0, 2.0, 4.0], alternative='bigger')
    with pytest.raises(TypeError, match='mu must be a real number'):
        d2l.t_test([1.0, 2.0, 4.0], mu='0')
    with pytest.raises(ValueError, match='zero variance'):
        d2l.t_test([3.0, 3.0, 3.0])


def test_t_test_names_non_finite_data():
    with pytest.raises(ValueError, match=r'x must hold finite values, got '
                                         r'nan at index 1 \(1 non-finite'):
        d2l.t_test([1.0, math.nan, 2.0])
    with pytest.raises(ValueError, match=r'y must hold finite values, got '
                                         r'inf at index 0 \(2 non-finite'):
        d2l.t_test([1.0, 2.0, 3.0], [math.inf, 1.0, math.nan])
    with pytest.raises(ValueError, match='x must hold finite values'):
        d2l.t_interval(torch.tensor([0.5, 1.0, -math.inf]))


# ------------------------------------------------------------ t_interval --
@pytest.mark.parametrize('confidence', [0.5, 0.9, 0.95, 0.99])
def test_t_interval_matches_scipy(confidence):
    x = _sample(5, 17, loc=3.0, scale=2.0)
    low, high = d2l.t_interval(x, confidence)
    want = stats.t.interval(confidence, df=16, loc=x.mean().item(),
                            scale=stats.sem(x.numpy()))
    assert low == pytest.approx(want[0], rel=1e-9)
    assert high == pytest.approx(want[1], rel=1e-9)


def test_t_interval_hand_checkable_value():
    # values 1, 2, 3: mean 2, standard error 1/sqrt(3), t_{0.975, 2} = 4.3027
    low, high = d2l.t_interval(torch.tensor([1.0, 2.0, 3.0]))
    half = 4.302652729749464 / math.sqrt(3)
    assert (low, high) == pytest.approx((2 - half, 2 + half), rel=1e-8)


def test_t_interval_returns_two_floats_and_accepts_integer_data():
    low, high = d2l.t_interval(torch.arange(10))
    assert isinstance(low, float) and isinstance(high, float)
    assert low < 4.5 < high


def test_t_interval_rejects_bad_inputs():
    for confidence in (0, 1):
        with pytest.raises(ValueError, match='strictly between 0 and 1'):
            d2l.t_interval([1.0, 2.0, 3.0], confidence)
    with pytest.raises(ValueError, match=r'confidence must be a number <= 1'):
        d2l.t_interval([1.0, 2.0, 3.0], 95)
    with pytest.raises(ValueError, match=r'x must be 1-D'):
        d2l.t_interval(torch.ones(3, 1))
