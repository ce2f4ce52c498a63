"""The answer checker: does a file that follows common/contract.py compute what the answer does?

    python -m common.check dcgan --framework keras exercises/keras/dcgan.py
    python -m common.check ae --framework pytorch my_ae.py --train 200

FILE may lie anywhere: it is imported with the repository and the framework's folder
(keras/, for keras_support.py and keras_like_pytorch.py) importable. The reference is the
answer script of the same framework and model (keras/dcgan.py), so that the two agree to the
rounding. Both get the canonical weights (common/architectures.initial_weights, seed 1), the
same seeded images and noise (common/data.noise), at 16x16x3 (the DCGAN at 32x32x3, so that its
dense layers see a 2x2 grid), batch 8, on the CPU. The checks, in order; the first that fails
stops the checker with one sentence naming the likely mistake (exit status 1); when all pass
it prints what was checked (exit status 0):

1. the contract: every name of common/contract.py; MODEL and FRAMEWORK as asked.
2. parameter shapes: get_weights gives the names and shapes of the table
   (common/architectures.layer_table); set_weights, then get_weights, gives back what was loaded.
3. outputs, to 1e-4: reconstruct (the AEs); generate in inference mode, discriminate in both
   modes (the DCGAN's also under weights that make the minibatch spread D's whole verdict: at the
   canonical weights it moves D's output by less than 1e-4), generate in training mode, and
   BatchNorm's running statistics after that pass (the GANs).
4. one training step. The GANs first one network at a time: D's loss and D's weights after
   the first train_step (what D's step alone decides, as G's step must leave D alone), then G's
   loss and G's weights and running statistics. Then train_step, twice from the start (the
   losses and every weight after each: the second step needs Adam's state, its beta1 and beta2).
5. only with --train N: N iterations of the harness on the default data (the built-in digits)
   into a new temporary folder (kept, and named, so that its samples can be looked at), then
   the test's figures (PSNR and SSIM, or the digit score).

Nothing is written outside a temporary folder (not even __pycache__ beside FILE).
"""

import json
import tempfile
from pathlib import Path

import numpy as np

from common import language
from common.architectures import G_LR_SHARE, SPREAD_GROUP
from common.check import diagnosis
from common.check.diagnosis import said
from common.check.support import (Case, CheckedScript, Failed, accumulating_candidates, clear_gradients,
                                  discriminator_probe, epsilon_candidates,
                                  error_sentence, flatten_candidate, generator_probe, load_file, measure_reference,
                                  missing_relu, shown, spread_candidates, spread_probe, step_inputs, with_weights)
from common.contract import bind
from common.errors import UserError
from common.language import say
from common.paths import REPO_ROOT

# The checks, by the name check_file reports (whatever the language), and the key of the name the learner reads.
STAGES = {"the contract": "check_stage_contract", "parameter shapes": "check_stage_shapes",
          "outputs": "check_stage_outputs", "one training step": "check_stage_step",
          "a training run": "check_stage_training"}

_references = {}  # (framework, model) -> (Script, network, measurements): each answer is measured once per process


def reference_for(case):
    """The answer script of the case's framework and model, its network and what it computes."""
    key = (case.framework, case.model)
    if key not in _references:
        path = REPO_ROOT / case.framework / f"{case.model}.py"
        script = CheckedScript(bind(load_file(path, case.framework, f"check_reference_{case.framework}_{case.model}")), path)
        device = script.module.choose_device("cpu")  # exact numbers: the CPU, whatever else the machine has
        with script.module.running_on(device):
            _references[key] = (script, device, *measure_reference(script, case, device))
    return _references[key]


class Checker:
    """One attempt against its reference; each check_* method fails with a sentence or passes with a line."""

    def __init__(self, path, model, framework, report=None):
        self.path, self.case = Path(path), Case(model, framework)
        self.passed, self.report = [], report or (lambda name, detail: None)

    def run(self, train=0, device="cpu"):
        """[(check, detail)] of the checks passed; raises Failed (with .check) at the first failure."""
        self.stage("the contract", self.check_contract)
        self.reference, self.device, self.reference_network, self.expected = reference_for(self.case)
        with self.reference.module.running_on(self.device):
            self.stage("parameter shapes", self.check_shapes)
            self.stage("outputs", self.check_gan_outputs if self.case.is_gan else self.check_reconstructions)
            self.stage("one training step", self.check_steps)
        if train:
            self.stage("a training run", lambda: self.check_training(train, device))
        return self.passed

    def stage(self, name, check):
        try:
            detail = check()
        except Failed as failure:
            failure.check = name
            raise
        self.passed.append((name, detail))
        self.report(name, detail)

    # ----- 1. the contract ---------------------------------------------------------------------
    def check_contract(self):
        module = load_file(self.path, self.case.framework)
        try:
            bound = bind(module)
        except UserError as error:
            raise Failed(str(error).replace(module.__name__, shown(self.path))) from None
        for name, asked in (("MODEL", self.case.model), ("FRAMEWORK", self.case.framework)):
            if getattr(module, name) != asked:
                raise Failed(said("check_contract_other", path=shown(self.path), name=name,
                                  value=repr(getattr(module, name)), asked=repr(asked)))
        self.attempt = CheckedScript(bound, self.path)
        return say("check_passed_contract")

    # ----- 2. parameter shapes -----------------------------------------------------------------
    def check_shapes(self):
        case, attempt = self.case, self.attempt
        self.network = attempt.call("build_model", case.size, case.channels, self.device)
        if self.network is None:
            raise Failed(said("check_build_model_none"))
        found = attempt.weights(self.network)
        sentence = diagnosis.shapes_mistake({name: value.shape for name, value in found.items()}, case)
        if sentence:
            raise Failed(sentence)
        attempt.call("set_weights", self.network, case.weights)
        back = attempt.weights(self.network)
        for name in case.names:
            if not diagnosis.close(back[name], case.weights[name], 0.0):
                raise Failed(said("check_weights_round_trip", name=name))
        return say("check_passed_shapes", count=len(case.names), size=case.size, channels=case.channels)

    # ----- 3. outputs --------------------------------------------------------------------------
    def compare(self, found, expected, what, *diagnoses, generic):
        """Fail with the first diagnosis that explains a difference; each is a sentence or None, or
        a function giving one, or a list of candidates (sentence, what the reference computes then).
        `what`: the key of what was compared (check_output_*), or (key, its values); `generic`: the advice
        when no diagnosis explains the difference."""
        if diagnosis.close(found, expected):
            return diagnosis.gap(found, expected)
        what = say(what) if isinstance(what, str) else say(what[0], **what[1])
        for each in (lambda: diagnosis.wrong_array(found, expected, what), *diagnoses):
            try:
                sentence = diagnosis.first_match(found, each) if isinstance(each, list) else each()
            except Exception:  # Failed too: a diagnosis that cannot run on this attempt explains nothing
                continue
            if sentence:
                raise Failed(sentence)
        largest = f"{diagnosis.gap(found, expected):.3g}"
        if found.ndim == 4:
            raise Failed(said("check_output_differs_at", what=what, largest=largest,
                              where=diagnosis.where(found, expected), advice=generic))
        raise Failed(said("check_output_differs", what=what, largest=largest, advice=generic))

    def check_reconstructions(self):
        case, expected = self.case, self.expected
        found = self.attempt.array("reconstruct", self.network, case.images[0])
        largest = self.compare(
            found, expected["reconstruct"], "check_output_reconstruct",
            lambda: diagnosis.autoencoder_activation(found, expected["reconstruct"]),
            lambda: diagnosis.shifted_by_one(found, expected["reconstruct"]),
            flatten_candidate(self.reference, self.reference_network, case, "", "reconstruct", case.images[0]),
            lambda: missing_relu(self.attempt, self.network, self.reference, self.reference_network, case),
            generic=say("check_generic_autoencoder"))
        return say("check_passed_reconstruct", largest=f"{largest:.1g}")

    def check_gan_outputs(self):
        case, expected, attempt, network = self.case, self.expected, self.attempt, self.network
        reference, reference_network = self.reference, self.reference_network
        noise, images = case.noise[0], case.images[0]
        found = attempt.array("generate", network, noise, training=False)
        gaps = [self.compare(
            found, expected["generate"], "check_output_generate_inference",
            [(said("check_generate_inference_batch_statistics"), expected["generate_training"])],
            lambda: diagnosis.generator_range(found, expected["generate"]),
            lambda: diagnosis.shifted_by_one(found, expected["generate"]),
            list(epsilon_candidates(reference, reference_network, case, case.weights)),
            flatten_candidate(reference, reference_network, case, "generator", "generate", noise),
            lambda: self.probe_mistake("generator", generator_probe),
            lambda: missing_relu(attempt, network, reference, reference_network, case),
            generic=say("check_generic_generator"))]
        kept = attempt.weights(network)
        moved = [name for name in case.statistics if not np.array_equal(kept[name], case.weights[name])]
        if moved:
            raise Failed(said("check_inference_moved_statistics", name=moved[0]))
        attempt.call("set_weights", network, expected["settled"])  # running statistics as after training: epsilon counts
        found = attempt.array("generate", network, noise, training=False)
        gaps.append(self.compare(
            found, expected["generate_settled"], "check_output_generate_settled",
            list(epsilon_candidates(reference, reference_network, case, expected["settled"])),
            generic=say("check_generic_inference_batchnorm")))
        attempt.call("set_weights", network, case.weights)
        for training in (False, True):
            found = attempt.array("discriminate", network, images, training=training)
            gaps.append(self.compare(
                found, expected["discriminate"], ("check_output_discriminate", {"training": training}),
                lambda: diagnosis.discriminator_range(found, expected["discriminate"]),
                flatten_candidate(reference, reference_network, case, "discriminator", "discriminate", images),
                lambda: self.probe_mistake("discriminator", discriminator_probe),
                generic=say("check_generic_discriminator")))
        if case.model == "dcgan":
            gaps.append(self.check_spread(images))
        attempt.call("set_weights", network, case.weights)
        found = attempt.array("generate", network, noise, training=True)
        gaps.append(self.compare(
            found, expected["generate_training"], "check_output_generate_training",
            [(said("check_generate_training_running_statistics"), expected["generate"])],
            generic=say("check_generic_training_batchnorm")))
        sentence = diagnosis.running_statistics(attempt.weights(network), expected["after_training_pass"],
                                                case.weights, case.statistics)
        if sentence:
            raise Failed(sentence)
        return say("check_passed_gan_outputs", largest=f"{max(gaps):.1g}")

    def check_spread(self, images):
        """D's minibatch spread under weights that make it D's whole verdict."""
        weights = spread_probe(self.reference, self.reference_network, self.case, images)
        expected = with_weights(self.reference, self.reference_network, weights, "discriminate", images)
        found = with_weights(self.attempt, self.network, weights, "discriminate", images)
        return self.compare(
            found, expected, "check_output_discriminate_spread",
            spread_candidates(self.reference, self.reference_network, self.case, weights, images),
            generic=say("check_generic_spread", group=SPREAD_GROUP))

    def probe_mistake(self, network_name, probe):
        if self.case.model != "dcgan":
            return None
        expected = probe(self.reference, self.reference_network, self.case)
        found = probe(self.attempt, self.network, self.case)
        if found == expected:
            return None
        seen = say("check_probe_no_pixel") if found is None else say("check_probe_pixel", pixel=found)
        if network_name == "generator":
            return said("check_probe_generator", seen=seen, expected=expected)
        return said("check_probe_discriminator", seen=seen, expected=expected)

    # ----- 4. one training step ----------------------------------------------------------------
    def check_steps(self):
        case, expected, attempt, network = self.case, self.expected, self.attempt, self.network
        done = self.check_halves() if case.is_gan else []
        clear_gradients(case, network)
        attempt.call("set_weights", network, case.weights)
        optimizer = attempt.call("build_optimizer", network, case.lr)
        names = ("d_loss", "g_loss") if case.is_gan else ("loss",)
        trainable = diagnosis.trainable(case.names)
        before = case.weights
        for step in range(2):
            what = "train_step" if step == 0 else "the second train_step"
            losses = attempt.losses(names, network, optimizer, *step_inputs(case, step))
            after = attempt.weights(network)
            agree = all(diagnosis.loss_close(losses[name], expected[f"losses{step}"][name]) for name in names)
            if step == 1 and not (agree and diagnosis.weights_agree(after, expected["after1"], trainable, case.lr)):
                sentence = self.accumulation_mistake(names, losses, after)
                if sentence:
                    raise Failed(sentence)
            for name in names:
                if not diagnosis.loss_close(losses[name], expected[f"losses{step}"][name]):
                    raise Failed(self.loss_mistake(name, losses[name], expected[f"losses{step}"][name], step))
            sentence = diagnosis.weights_mistake(after, expected[f"after{step}"], before, case.names, case.lr,
                                                 what, first_step=step == 0, framework=case.framework)
            if sentence:
                raise Failed(sentence)
            before = after
        return say("check_list_separator").join([*done, say("check_passed_two_steps")])

    def accumulation_mistake(self, names, losses, after):
        """The sentence of the uncleared-gradients candidate the second step reproduces, else None."""
        trainable = diagnosis.trainable(self.case.names)
        for sentence, run in accumulating_candidates(self.reference, self.reference_network, self.case):
            candidate_losses, candidate_after = run()
            if (all(diagnosis.loss_close(losses[name], candidate_losses[name]) for name in names)
                    and diagnosis.weights_agree(after, candidate_after, trainable, self.case.lr)):
                return sentence
        return None

    def loss_mistake(self, name, found, expected, step):
        shown_found, shown_expected = f"{found:.6g}", f"{expected:.6g}"
        if step == 1 and name == "g_loss":  # after D's second update: the first one to use Adam's state
            return said("check_second_g_loss_adam", found=shown_found, expected=shown_expected)
        if step == 1:
            return said("check_second_step_loss", name=name, found=shown_found, expected=shown_expected)
        if self.case.is_gan:  # the same first step passed a moment ago, from the same weights
            return said("check_step_not_repeatable", name=name, found=shown_found, expected=shown_expected)
        run = self.expected
        return diagnosis.loss_mistake(found, expected, diagnosis.loss_candidates_autoencoder(
            run["reconstruct"], self.case.images[0]), "loss")

    def check_halves(self):
        """train_step's first iteration, one network at a time: D's weights after it are those of
        D's step alone (G's step must leave D alone), G's those of G's step."""
        case, run, attempt, network = self.case, self.expected, self.attempt, self.network
        attempt.call("set_weights", network, case.weights)
        optimizers = attempt.call("build_optimizer", network, case.lr)
        try:
            losses = attempt.losses(("d_loss", "g_loss"), network, optimizers, case.images[0], case.noise[0])
        except Failed as failure:
            raise Failed(self.d_step_alone(failure, optimizers)) from None
        after = attempt.weights(network)
        if not diagnosis.loss_close(losses["d_loss"], run["d_step"]):
            raise Failed(diagnosis.loss_mistake(losses["d_loss"], run["d_step"], diagnosis.loss_candidates_discriminator(
                run["discriminate"], run["scores_fake"], run["scores_fake_inference"]), "D loss"))
        sentence = diagnosis.weights_mistake(after, run["after_step"], case.weights, case.network_names("discriminator."),
                                             case.lr, "the D step", first_step=True, framework=case.framework)
        if sentence and sentence.key == diagnosis.UNCLEARED_CHAINER:  # D's own step, surely
            raise Failed(sentence)
        if sentence:
            raise Failed(said("check_or_g_step_changed_d", sentence=sentence))
        if not diagnosis.loss_close(losses["g_loss"], run["g_step"]):
            raise Failed(diagnosis.loss_mistake(losses["g_loss"], run["g_step"], diagnosis.loss_candidates_generator(
                run["scores_after_d_step"], run["scores_fake"], run["scores_after_d_step_inference"]), "G loss"))
        shared = case.model == "dcgan"  # the DCGAN's G learns at G_LR_SHARE of the lr build_optimizer receives
        sentence = diagnosis.weights_mistake(after, run["after_step"], case.weights, case.network_names("generator."),
                                             case.lr * (G_LR_SHARE if shared else 1), "the G step", first_step=True,
                                             lr_rule=say("check_lr_rule_share", share=f"{G_LR_SHARE:g}") if shared
                                             else None, framework=case.framework)
        if sentence:
            raise Failed(sentence)
        return [say("check_passed_d_step"), say("check_passed_g_step")]

    def d_step_alone(self, failure, optimizers):
        """A learner writes D's step first: when train_step stops at an unwritten part after it (G's
        step, say), D's weights already show whether D's step is right. In PyTorch and Chainer D's
        step has run by then; TensorFlow and Keras trace the whole iteration into one graph before
        any of it runs, so there D's step is called on its own, eagerly, with the same fakes.
        `failure`: train_step's Failed; the sentence that replaces it is returned."""
        sentence = failure.args[0]  # a Sentence, which knows its key
        if not failure.not_implemented:
            return sentence
        if self.case.framework in ("tensorflow", "keras"):
            try:
                self.discriminator_step_eagerly(optimizers)
            except Failed as eager:
                return sentence if eager.not_implemented else eager.args[0]
        names = self.case.network_names("discriminator.")
        after = self.attempt.weights(self.network)
        if all(np.array_equal(after[name], self.case.weights[name]) for name in names):
            return sentence
        expected = self.expected["after_step"]
        if diagnosis.weights_agree(after, expected, diagnosis.trainable(names), self.case.lr):
            return said("check_d_step_agrees_next", sentence=sentence)
        if not all(np.all(np.isfinite(after[name])) for name in names):
            mistake = diagnosis.weights_mistake(after, expected, self.case.weights, names, self.case.lr, "the D step",
                                                first_step=True, framework=self.case.framework)
        else:
            largest, name = diagnosis.largest_difference(after, expected, diagnosis.trainable(names))
            mistake = say("check_d_step_weights_differ", largest=f"{largest:.3g}", name=name)
        return said("check_d_step_wrong_g_step_unwritten", mistake=mistake, sentence=sentence)

    def discriminator_step_eagerly(self, optimizers):
        import tensorflow as tf

        case, attempt = self.case, self.attempt
        real = tf.constant(case.images[0])
        fakes = tf.constant(attempt.array("generate", self.network, case.noise[0], training=True))  # G's step-1 fakes
        if case.framework == "keras":  # the step is a method of the GAN model (keras/gan.py)
            step = getattr(self.network, "discriminator_step", None)
            arguments = (real, fakes)
        else:
            step = getattr(attempt.module, "discriminator_step", None)
            arguments = (self.network, optimizers, real, fakes)
        if step is None:
            raise Failed(said("check_d_step_not_implemented"))
        try:
            step(*arguments)
        except Exception as error:
            if isinstance(error, NotImplementedError):
                raise Failed(said("check_d_step_not_implemented")) from None
            raise Failed(error_sentence(error, "discriminator_step", attempt.path)) from None

    # ----- 5. a training run -------------------------------------------------------------------
    def check_training(self, iterations, device):
        from common import harness
        folder = Path(tempfile.mkdtemp(prefix="check_"))  # kept, so that the samples can be looked at
        try:
            harness.main(self.attempt.module, ["--iters", str(iterations), "--out", str(folder), "--device", device,
                                               "--lang", language.current()])  # the checker's language, not the locale's
        except UserError as error:
            raise Failed(str(error)) from None
        except Exception as error:
            raise Failed(error_sentence(error, "training", self.path)) from None
        metrics = json.loads((folder / f"{self.case.model}_{self.case.framework}_metrics.json").read_text())
        if "psnr" in metrics:
            figures = say("check_figures_psnr", iterations=iterations, psnr=f"{metrics['psnr']:.2f}",
                          ssim=f"{metrics['ssim']:.3f}")
        else:
            figures = say("check_figures_swd", iterations=iterations, swd=f"{metrics['swd']:.4f}")
        if "digit_share" in metrics:
            figures = say("check_figures_digits", figures=figures, share=f"{metrics['digit_share']:.0%}",
                          kinds=metrics["digit_kinds"], verdict=metrics["sample_verdict"])
        return say("check_figures_folder", figures=figures, folder=folder)


def check_file(path, model, framework, train=0, device="cpu", report=None):
    """Check one file: (the checks passed [(name, detail)], None), or (the checks passed, (the failed
    check, its sentence)). `report(name, detail)` is called as each check passes. The checks' names
    are those of STAGES whatever the language (say(STAGES[name]) shows one); the details and the
    sentence come in the current language (common.language)."""
    checker = Checker(path, model, framework, report)
    try:
        return checker.run(train, device), None
    except Failed as failure:
        return checker.passed, (getattr(failure, "check", "the contract"), str(failure))
