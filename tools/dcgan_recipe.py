"""The DCGAN recipe search (a maintainer's tool): which changes to the exercise's DCGAN make it
draw every kind of digit, measured.

Each variant is the exercise's network (5x5 kernels, G 512/512/256/128, D 32/64/128/256,
LeakyReLU 0.2, tanh, sigmoid, BCE, Adam beta1 0.5, G once an iteration, D first) with some of
the allowed changes switched on. It trains in plain PyTorch on the built-in digits and, every
--eval-every iterations, scores 256 samples of a fixed noise with the project's digit judge
(common/digit_score.py) and the sliced Wasserstein distance (common/metrics.py), in inference
mode and, where the variant keeps one, from the moving average of G's weights. One JSON line a
checkpoint goes to --log, so that curves of several runs can be put side by side.

    python tools/dcgan_recipe.py --name listed --iters 2000
    python tools/dcgan_recipe.py --name s4 --start 4 --mbstd --ema 0.999 --batch-size 64
    python tools/dcgan_recipe.py --summarise /tmp/dcgan_recipe.jsonl   # a Markdown table of the runs
"""

import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import metrics  # noqa: E402
from common.digit_score import judge_for  # noqa: E402
from common.data.digits import ensure_digits  # noqa: E402
from common.data.images import load_folder  # noqa: E402
from common.paths import DATASET_ROOT  # noqa: E402

NOISE_DIM = 100
GROUP = 4  # images per minibatch-standard-deviation group


def strides(size, start):
    """Strides of the four layers so that G grows from start x start to size (the last layers
    doubling) and D shrinks from size to start (the first layers halving)."""
    doublings = int(round(np.log2(size // start)))
    if start * 2 ** doublings != size or not 0 <= doublings <= 4:
        raise SystemExit(f"--start {start} cannot reach --size {size} in four layers")
    return [1] * (4 - doublings) + [2] * doublings


class Generator(nn.Module):
    def __init__(self, size, channels, start, bn_before):
        super().__init__()
        self.start, self.bn_before = start, bn_before
        self.dense = nn.Linear(NOISE_DIM, start * start * 512)
        widths = [512, 512, 256, 128, channels]
        self.deconvs = nn.ModuleList()
        for index, stride in enumerate(strides(size, start)):
            if stride == 2:
                layer = nn.ConvTranspose2d(widths[index], widths[index + 1], 5, 2, padding=2, output_padding=1)
            else:
                layer = nn.ConvTranspose2d(widths[index], widths[index + 1], 5, 1, padding=2)
            self.deconvs.append(layer)
        self.bns = nn.ModuleList(nn.BatchNorm2d(width) for width in widths[:4])

    def forward(self, noise):
        hidden = self.dense(noise).view(-1, self.start, self.start, 512).permute(0, 3, 1, 2)
        for index, deconv in enumerate([None] + list(self.deconvs[:3])):
            if deconv is not None:
                hidden = deconv(hidden)
            if self.bn_before:
                hidden = F.relu(self.bns[index](hidden))
            else:
                hidden = self.bns[index](F.relu(hidden))
        return torch.tanh(self.deconvs[3](hidden))


class Discriminator(nn.Module):
    def __init__(self, size, channels, start, dropout, mbstd, batchnorm):
        super().__init__()
        widths = [channels, 32, 64, 128, 256]
        self.convs = nn.ModuleList(
            nn.Conv2d(widths[i], widths[i + 1], 5, stride, padding=2)
            for i, stride in enumerate(reversed(strides(size, start))))
        self.bns = nn.ModuleList(nn.BatchNorm2d(w) if batchnorm and i > 0 else nn.Identity()
                                 for i, w in enumerate(widths[1:]))
        self.dropout, self.mbstd = dropout, mbstd
        self.dense = nn.Linear(start * start * 256 + (1 if mbstd else 0), 1)

    def forward(self, images):
        hidden = images
        for conv, bn in zip(self.convs, self.bns):
            hidden = F.leaky_relu(bn(conv(hidden)), 0.2)
            if self.dropout:
                hidden = F.dropout(hidden, self.dropout, self.training)
        hidden = hidden.permute(0, 2, 3, 1).flatten(1)
        if self.mbstd:
            hidden = torch.cat([hidden, minibatch_spread(hidden)], dim=1)
        return torch.sigmoid(self.dense(hidden))


def minibatch_spread(features):
    """One more feature for each image: how much the images of its group differ (the mean over
    features of their standard deviation in the group; ProGAN's minibatch standard deviation). A
    G that draws one shape for every z makes it small, and D can tell its fakes by it.

    The groups are GROUP neighbouring images, so that D's one call on real images followed by
    fakes never mixes the two in a group: a spread over the whole concatenated batch is the same
    number for real and fake images and tells D nothing (the first runs here did that)."""
    group = math.gcd(len(features), GROUP)
    groups = features.view(-1, group, features.shape[1])
    spread = torch.sqrt(groups.var(dim=1, unbiased=False) + 1e-8).mean(dim=1, keepdim=True)
    return spread.repeat_interleave(group, dim=0)


def initialise(module):
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            nn.init.zeros_(layer.bias)


def summarise(log):
    """One Markdown row per run: share / kinds at each checkpoint, inference mode, then the average."""
    runs = {}
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        runs.setdefault((row["name"], row["seed"]), []).append(row)
    checkpoints = sorted({row["iteration"] for rows in runs.values() for row in rows})
    print("| run | seed | " + " | ".join(str(c) for c in checkpoints) + " | s/it |")
    print("|---|---|" + "---|" * (len(checkpoints) + 1))
    for (name, seed), rows in runs.items():
        at = {row["iteration"]: row for row in rows}
        cells = []
        for checkpoint in checkpoints:
            row = at.get(checkpoint)
            if row is None:
                cells.append("")
                continue
            cell = f"{row['eval']['share']:.2f} / {row['eval']['kinds']}"
            if "ema" in row:
                cell += f" (avg {row['ema']['share']:.2f} / {row['ema']['kinds']})"
            cells.append(cell)
        speed = rows[-1]["seconds"] / rows[-1]["iteration"]
        print(f"| {name} | {seed} | " + " | ".join(cells) + f" | {speed:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summarise", metavar="LOG", help="print a table of the runs in LOG and stop")
    parser.add_argument("--name")
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--start", type=int, default=None, help="G's first map side (default: size // 16)")
    parser.add_argument("--bn-before", action="store_true", help="BatchNorm before ReLU in G")
    parser.add_argument("--dropout", type=float, default=0.0, help="dropout after each of D's layers")
    parser.add_argument("--mbstd", action="store_true", help="minibatch standard deviation before D's dense layer")
    parser.add_argument("--d-batchnorm", action="store_true", help="BatchNorm in D's layers 2-4, real and fakes apart")
    parser.add_argument("--ema", type=float, default=0.0, help="decay of an average of G's weights (0: none)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.0002)
    parser.add_argument("--lr-d", type=float, default=None)
    parser.add_argument("--smooth", type=float, default=1.0, help="label of real images in D's loss")
    parser.add_argument("--instance-noise", type=float, default=0.0,
                        help="standard deviation of Gaussian noise added to every image D sees, falling linearly to 0")
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--log", default="/tmp/dcgan_recipe.jsonl")
    parser.add_argument("--grid", default=None, help="write the last samples (64) as a PNG here")
    args = parser.parse_args()
    if args.summarise:
        return summarise(args.summarise)
    if not args.name:
        parser.error("--name is required for a run")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    start = args.start or max(args.size // 16, 1)

    ensure_digits()
    training = load_folder(DATASET_ROOT / "digits" / "train" / "images", args.size, 1)
    images = torch.from_numpy(training.images).permute(0, 3, 1, 2).contiguous()
    judge = judge_for(training)  # the judge the scripts use for this training set
    real_for_swd = training.images[np.sort(np.random.default_rng(0).choice(len(training.images), 1000, replace=False))]

    generator = Generator(args.size, 1, start, args.bn_before)
    discriminator = Discriminator(args.size, 1, start, args.dropout, args.mbstd, args.d_batchnorm)
    initialise(generator)
    initialise(discriminator)
    average = copy.deepcopy(generator).eval() if args.ema else None
    adam_g = torch.optim.Adam(generator.parameters(), lr=args.lr, betas=(0.5, 0.999))
    adam_d = torch.optim.Adam(discriminator.parameters(), lr=args.lr_d or args.lr, betas=(0.5, 0.999))
    rng = np.random.default_rng(args.seed)
    fixed = torch.from_numpy(np.random.default_rng(20190301).standard_normal((256, NOISE_DIM)).astype(np.float32))
    batch = args.batch_size

    def evaluate(iteration, seconds):
        row = {"name": args.name, "seed": args.seed, "iteration": iteration, "seconds": round(seconds, 1)}
        nets = [("eval", generator, False), ("train", generator, True)]
        # The average's own running statistics would belong to no single set of weights: it is
        # sampled with the statistics of the sampled batch.
        nets += [("ema", average, True)] if average is not None else []
        for label, net, batch_statistics in nets:
            was = net.training
            net.train(batch_statistics)
            with torch.no_grad():
                momentum = [bn.momentum for bn in net.bns]
                for bn in net.bns:
                    bn.momentum = 0.0  # batch statistics without moving the running ones
                samples = net(fixed).permute(0, 2, 3, 1).numpy()
            net.train(was)
            for bn, value in zip(net.bns, momentum):
                bn.momentum = value
            score = judge.score(samples)
            row[label] = {"share": round(score["share"], 3), "kinds": score["kinds"],
                          "swd": round(metrics.sliced_wasserstein_distance(samples, real_for_swd), 4)}
            if args.grid and iteration == args.iters:
                from common.pictures import save_grid
                save_grid(Path(args.grid).with_suffix(f".{label}.png"), samples[:64])
        with open(args.log, "a", encoding="utf-8") as log:
            log.write(json.dumps({**row, "args": vars(args)}) + "\n")
        print(json.dumps(row), flush=True)

    began = time.perf_counter()
    for iteration in range(args.iters):
        real = images[rng.choice(len(images), batch, replace=False)]
        noise = torch.from_numpy(rng.standard_normal((batch, NOISE_DIM)).astype(np.float32))
        generator.train()
        discriminator.train()
        fakes = generator(noise)
        if args.instance_noise:
            sigma = args.instance_noise * (1 - iteration / args.iters)
            real = real + sigma * torch.randn_like(real)
            fakes = fakes + sigma * torch.from_numpy(rng.standard_normal(fakes.shape).astype(np.float32))
        if args.d_batchnorm:
            real_scores, fake_scores = discriminator(real), discriminator(fakes.detach())
        else:
            scores = discriminator(torch.cat([real, fakes.detach()]))
            real_scores, fake_scores = scores[:batch], scores[batch:]
        d_loss = (F.binary_cross_entropy(real_scores, torch.full_like(real_scores, args.smooth))
                  + F.binary_cross_entropy(fake_scores, torch.zeros_like(fake_scores))) / 2
        adam_d.zero_grad()
        d_loss.backward()
        adam_d.step()
        discriminator.requires_grad_(False)
        scores = discriminator(fakes)
        g_loss = F.binary_cross_entropy(scores, torch.ones_like(scores))
        adam_g.zero_grad()
        g_loss.backward()
        adam_g.step()
        discriminator.requires_grad_(True)
        if average is not None:
            decay = min(args.ema, (1 + iteration) / (10 + iteration))  # a short memory at first
            with torch.no_grad():
                for kept, new in zip(average.parameters(), generator.parameters()):
                    kept.lerp_(new, 1 - decay)
                for kept, new in zip(average.buffers(), generator.buffers()):
                    kept.copy_(new)
        if not np.isfinite(d_loss.item()):
            print("diverged", flush=True)
            break
        if (iteration + 1) % args.eval_every == 0:
            evaluate(iteration + 1, time.perf_counter() - began)


if __name__ == "__main__":
    main()
