import json
import math

import numpy as np
import pytest

from course_utils import checks, config, metrics, results


def test_mse_and_psnr_on_known_values():
    reference = np.zeros((2, 4, 4))
    estimate = np.full((2, 4, 4), 0.1)
    assert metrics.mse(reference, estimate) == pytest.approx(0.01)
    assert metrics.psnr(reference, estimate) == pytest.approx(20.0)
    np.testing.assert_allclose(metrics.per_image_mse(reference, estimate), [0.01, 0.01])
    assert metrics.psnr(reference, reference) == pytest.approx(100.0)


def test_psnr_averages_per_image_values():
    reference = np.zeros((2, 2, 2))
    estimate = np.stack([np.full((2, 2), 0.1), np.full((2, 2), 0.01)])
    assert metrics.psnr(reference, estimate) == pytest.approx((20.0 + 40.0) / 2)


def test_metrics_reject_wrong_shapes_and_ranges():
    with pytest.raises(ValueError, match=r"reference and estimate: expected the same shape"):
        metrics.mse(np.zeros((2, 4, 4)), np.zeros((2, 4, 5)))
    with pytest.raises(ValueError, match=r"reference: expected pixel values in \[0, 1\]"):
        metrics.psnr(np.full((1, 2, 2), 255.0), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="estimate: expected finite"):
        metrics.mse(np.zeros((1, 2, 2)), np.full((1, 2, 2), np.nan))


def test_record_prints_and_writes_under_the_runner(tmp_path, monkeypatch, capsys):
    target = tmp_path / "metrics.jsonl"
    monkeypatch.delenv("COURSE_RESULTS_FILE", raising=False)
    assert results.record("test_mse", np.float32(0.5), "MSE per pixel") == 0.5
    assert not target.exists()
    monkeypatch.setenv("COURSE_RESULTS_FILE", str(target))
    results.record("test_mse", 0.25, "MSE per pixel")
    results.record("psnr_db", 21.5, "dB")
    assert "test_mse = 0.25 MSE per pixel" in capsys.readouterr().out
    assert [json.loads(line)["name"] for line in target.read_text().splitlines()] == ["test_mse", "psnr_db"]
    assert results.read_recorded(target) == {
        "test_mse": {"value": 0.25, "unit": "MSE per pixel"},
        "psnr_db": {"value": 21.5, "unit": "dB"},
    }


@pytest.mark.parametrize(
    ("name", "value", "unit", "message"),
    [
        ("Bad Name", 1.0, "dB", "name"),
        ("ok", math.nan, "dB", "finite"),
        ("ok", 1.0, "", "unit"),
        ("ok", "x", "dB", "value"),
    ],
)
def test_record_rejects_bad_input(name, value, unit, message):
    with pytest.raises((ValueError, TypeError), match=message):
        results.record(name, value, unit)


def test_record_seeds_records_mean_and_sample_std(tmp_path, monkeypatch, capsys):
    target = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("COURSE_RESULTS_FILE", str(target))
    spread = results.record_seeds("faces_mse", [1.0, 2.0, 3.0], "MSE per pixel")
    assert (spread.mean, spread.std, spread.range) == (2.0, 1.0, 2.0)  # sample std (ddof=1), not 0.816
    assert results.read_recorded(target) == {
        "faces_mse_mean": {"value": 2.0, "unit": "MSE per pixel"},
        "faces_mse_std": {"value": 1.0, "unit": "MSE per pixel"},
    }
    assert "per seed: 1, 2, 3" in capsys.readouterr().out


@pytest.mark.parametrize(("values", "message"), [([0.5], "at least 2 seeds"), (0.5, "sequence of numbers")])
def test_record_seeds_rejects_a_single_run(values, message):
    with pytest.raises((ValueError, TypeError), match=message):
        results.record_seeds("faces_mse", values, "MSE per pixel")


def test_verdict_calls_a_gap_inside_the_seed_range_a_tie():
    model = results.Spread((0.0046, 0.0049, 0.0047))  # range 0.0003
    assert "a tie" in results.verdict("AE", model, "PCA", 0.0049)  # gap 0.00017: within the range
    assert "a tie" in results.verdict("AE", model, "PCA", model.mean + 0.00029)  # gap just inside the range
    assert "AE better than PCA" in results.verdict("AE", model, "PCA", model.mean + 0.00031)  # just outside
    assert "PCA better than AE" in results.verdict("AE", model, "PCA", 0.0041)
    assert "AE better than PCA" in results.verdict("AE", model, "PCA", 0.0060)
    # a higher PSNR wins when lower_is_better is False, and the larger of the two ranges counts
    assert "AE better than noisy" in results.verdict(
        "AE", results.Spread((24.0, 24.2)), "noisy", 22.0, lower_is_better=False
    )
    wide = results.Spread((21.0, 23.5))
    assert "a tie" in results.verdict("AE", results.Spread((24.0, 24.2)), "wide", wide, lower_is_better=False)
    with pytest.raises(TypeError, match="second"):
        results.verdict("AE", model, "PCA", None)


@pytest.fixture
def gentle(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "0")


def test_checks_pass_and_hint(gentle, capsys):
    assert checks.check_shape(np.zeros((3, 2)), (3, None), name="codes")
    assert not checks.check_shape(np.zeros((3, 2)), (3, 4), name="codes", hint="look at the bottleneck")
    out = capsys.readouterr().out
    assert "Correct: codes has shape (3, 2)" in out and "Hint: look at the bottleneck" in out
    assert checks.check_close(0.30000001, 0.3)
    assert not checks.check_close(0.4, 0.3)
    assert checks.check_true(1 < 2, "one is less than two")


def test_checks_raise_under_the_runner(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "1")
    with pytest.raises(checks.CheckFailed, match=r"is 0.4, expected 0.3"):
        checks.check_close(0.4, 0.3)
    with pytest.raises(checks.CheckFailed, match="expected: the error went down"):
        checks.check_true(False, "the error went down")


def test_unattempted_answers_never_raise(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "1")
    assert not checks.check_close(None, 0.3)
    assert not checks.check_function(lambda x: None, [((1,), 1)])

    def stub(x):
        raise NotImplementedError

    assert not checks.check_function(stub, [((1,), 1)])
    assert "write your answer" in capsys.readouterr().out


def test_check_function_cases(gentle, capsys):
    assert checks.check_function(lambda x: 2 * x, [((1,), 2), ((np.array([1, 2]),), [2, 4])], name="double")
    assert not checks.check_function(lambda x: x + 1, [((1,), 2), ((2,), 4)], name="double")
    assert not checks.check_function(lambda x: 1 / 0, [((1,), 2)], name="broken")
    out = capsys.readouterr().out
    assert (
        "double passes all 2 test cases" in out
        and "gives 3.0 on test case 2, expected 4.0" in out
        and "ZeroDivisionError" in out
    )


def test_config_reads_the_environment_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_QUICK", "1")
    assert config.quick_mode()
    monkeypatch.setenv("COURSE_QUICK", "no")
    assert not config.quick_mode()
    monkeypatch.setenv("COURSE_QUICK", "maybe")
    with pytest.raises(ValueError, match="COURSE_QUICK='maybe'"):
        config.quick_mode()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_DATA_DIR", "data")
    assert config.data_dir() == tmp_path / "data"
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert config.data_dir() is None
    monkeypatch.delenv("COURSE_OUTPUT_DIR", raising=False)
    assert config.figures_dir() == tmp_path / "generated" / "figures" and config.figures_dir().is_dir()


def test_bernoulli_nll_matches_the_definition_and_is_stable():
    images = np.array([[0.0, 1.0, 0.25]])
    logits = np.array([[-2.0, 3.0, 0.5]])
    probabilities = 1 / (1 + np.exp(-logits))
    expected = -np.sum(images * np.log(probabilities) + (1 - images) * np.log(1 - probabilities))
    np.testing.assert_allclose(metrics.bernoulli_nll(images, logits), [expected])
    extreme = metrics.bernoulli_nll(np.array([[1.0, 0.0]]), np.array([[1000.0, -1000.0]]))
    assert np.isfinite(extreme).all() and extreme[0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="images and logits: expected the same shape"):
        metrics.bernoulli_nll(np.zeros((2, 4)), np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"images: expected pixel values in \[0, 1\]"):
        metrics.bernoulli_nll(np.full((1, 4), 2.0), np.zeros((1, 4)))


def test_gaussian_kl_is_zero_at_the_prior_and_matches_the_formula():
    np.testing.assert_allclose(metrics.gaussian_kl(np.zeros((3, 4)), np.zeros((3, 4))), [0, 0, 0])
    # one dimension, mean 1, variance e: KL = 0.5 * (var + mean^2 - 1 - log var) = 0.5 * (e + 1 - 1 - 1)
    assert metrics.gaussian_kl(np.array([[1.0]]), np.array([[1.0]]))[0] == pytest.approx(0.5 * (np.e - 1))
    with pytest.raises(ValueError, match="mean: expected a 2-D array"):
        metrics.gaussian_kl(np.zeros(3), np.zeros(3))
    per_dimension = metrics.gaussian_kl_per_dimension(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(per_dimension, [[0.5 * (np.e - 1), 0.0]])


def test_vae_scores_is_reproducible_and_adds_up():
    rng = np.random.default_rng(0)
    images = rng.random((25, 6))
    weights = rng.standard_normal((2, 6))

    def encode(batch):
        return batch[:, :2] - 0.5, np.full((len(batch), 2), -1.0)

    def decode(codes):
        return codes @ weights

    first = metrics.vae_scores(encode, decode, images, seed=3, batch_size=10)
    again = metrics.vae_scores(encode, decode, images, seed=3, batch_size=10)
    assert first == again
    assert first["neg_elbo"] == pytest.approx(first["recon"] + first["kl"])
    mean, log_var = encode(images)
    assert first["kl"] == pytest.approx(metrics.gaussian_kl(mean, log_var).mean())
    assert metrics.vae_scores(encode, decode, images, seed=4)["recon"] != first["recon"]
    with pytest.raises(ValueError, match="encode: expected 10 rows"):
        metrics.vae_scores(lambda b: (b[:1, :2], b[:1, :2]), decode, images, batch_size=10)


def test_vae_scores_passes_each_batch_its_own_conditions():
    rng = np.random.default_rng(1)
    images = rng.random((25, 6))
    labels = np.eye(3)[rng.integers(0, 3, 25)]
    seen = []

    def encode(batch, conditions):
        seen.append(conditions)
        return batch[:, :2] + conditions[:, :2], np.zeros((len(batch), 2))

    def decode(codes, conditions):
        return np.hstack([codes, codes, conditions[:, :2]])

    conditioned = metrics.vae_scores(encode, decode, images, batch_size=10, conditions=labels)
    np.testing.assert_array_equal(np.concatenate(seen), labels)  # in order, batch by batch
    whole = metrics.vae_scores(encode, decode, images, batch_size=25, conditions=labels)
    assert conditioned["kl"] == pytest.approx(whole["kl"])
    with pytest.raises(ValueError, match="conditions: expected one row per image"):
        metrics.vae_scores(encode, decode, images, conditions=labels[:5])


def test_none_is_not_attempted_in_an_exercise_but_wrong_in_a_worked_solution(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "1")
    monkeypatch.setattr(checks, "running_cell_source", lambda: "answer = None\nchecks.check_close(answer, 1)")
    assert checks.check_close(None, 1.0, name="answer") is False
    assert "No answer yet" in capsys.readouterr().out
    solution = f"{checks.SOLUTION_TITLE} (click to reveal)\nanswer = None\nchecks.check_close(answer, 1)"
    monkeypatch.setattr(checks, "running_cell_source", lambda: solution)
    monkeypatch.setenv("COURSE_CHECKS_RAISE", "0")  # even in a student's session
    for call in (
        lambda: checks.check_close(None, 1.0, name="answer"),
        lambda: checks.check_shape(None, (2,), name="answer"),
        lambda: checks.check_true(None, "something"),
        lambda: checks.check_function(None, [((1,), 1)], name="f"),
    ):
        with pytest.raises(checks.CheckFailed, match="None in a worked solution"):
            call()


def test_running_cell_source_is_empty_outside_ipython():
    assert checks.running_cell_source() == ""


def test_masked_psnr_counts_only_the_masked_pixels_of_each_image():
    reference = np.zeros((2, 4, 4), np.float32)
    estimate = reference.copy()
    estimate[:, 0, 0] = 0.1  # inside the mask: MSE 0.01 -> 20 dB
    estimate[:, 3, 3] = 1.0  # outside the mask: ignored
    masks = np.zeros((2, 4, 4), bool)
    masks[:, :2, :2] = True  # 4 pixels, one of them wrong: MSE 0.0025 -> 26.02 dB
    assert metrics.masked_psnr(reference, estimate, masks) == pytest.approx(26.0206, abs=1e-3)
    assert metrics.masked_psnr(reference[..., None], estimate[..., None], masks) == pytest.approx(
        26.0206, abs=1e-3
    )


def test_masked_psnr_refuses_empty_or_non_boolean_masks():
    images = np.zeros((2, 4, 4), np.float32)
    with pytest.raises(TypeError, match="masks: expected a boolean"):
        metrics.masked_psnr(images, images, np.ones((2, 4, 4), int))
    with pytest.raises(ValueError, match="no masked pixel"):
        metrics.masked_psnr(images, images, np.zeros((2, 4, 4), bool))
