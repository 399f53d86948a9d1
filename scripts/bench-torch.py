"""The reference column of `npm run bench`: the site's default denoiser, trained and sampled in
PyTorch on the CPU, measuring the same things as the browser rows.

    python3 scripts/bench-torch.py INPUT.json steps|quality

INPUT.json is written by scripts/bench.ts from the site's own code, so that both sides use the same
model, the same inputs and the same numbers: the layer widths and the initial weights θ (laid out as
in src/model/dense.ts), the time-embedding table and Fourier frequencies (src/model/denoiser.ts), the
schedule's √ᾱ_t, √(1 − ᾱ_t) and Algorithm 2's coefficients (src/model/sampler.ts), Adam's settings,
the weight average's decay, and for time to quality the training and held-out points and the
energy-distance floor. The model is written the way a PyTorch user would write it: nn.Linear layers,
loss.backward(), torch.optim.Adam; sampling under inference_mode with the time embedding's share of
the first layer computed once per t, as the site's sampler does.

`steps` prints {msPerStep256, msPerStep512, msPerStep2048, sample2048Seconds, …}; `quality`
prints the seconds of training to the quality threshold on each data set in INPUT.json. Both
print which BLAS library the process loaded and how many threads PyTorch used.
"""
import ctypes
import json
import sys
import time

import torch

config = json.load(open(sys.argv[1]))
mode = sys.argv[2]
threads = config["threads"]
torch.set_num_threads(threads)
torch.manual_seed(config["seed"])

sizes = config["sizes"]  # [input width, hidden…, 2]
F = config["fourierFeatures"]
fourier = torch.tensor(config["fourierFrequencies"], dtype=torch.float32)  # ω_k, k < F
# sin(ω_k·x) for the columns [x, y] at each k: the argument row is x·[ω_0, ω_0, ω_1, ω_1, …].
omega = fourier.repeat_interleave(2)
embedding = torch.tensor(config["embeddingTable"], dtype=torch.float32).reshape(-1, config["timeEmbedding"])
sqrt_ab = torch.tensor(config["sqrtAlphaBar"], dtype=torch.float32)
sqrt_1mab = torch.tensor(config["sqrtOneMinusAlphaBar"], dtype=torch.float32)
updates = config["ancestral"]  # [[t, a, b, c], …] for t = T … 1
T = len(sqrt_ab)


def blas_in_use():
    """The BLAS library this process mapped, read from /proc/self/maps, and OpenBLAS's own
    description of its build and kernel (openblas_get_config) when it is OpenBLAS."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # makes sure the BLAS is loaded
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
    detail = None
    for lib in libs:
        try:
            get = ctypes.CDLL(lib).openblas_get_config
            get.restype = ctypes.c_char_p
            detail = get().decode()
            break
        except (OSError, AttributeError):
            continue
    return {"libraries": libs, "openblas": detail, "torchBlas": "BLAS_INFO=" + next((p.split("=")[1] for p in torch.__config__.show().replace(",", "\n").split("\n") if "BLAS_INFO" in p), "?")}


def features(xt, t):
    """h_0 = [x_t, sin(ω_k x_t) for each k, cos(ω_k x_t) for each k, emb(t)]: the site's features()."""
    arg = xt.repeat(1, F) * omega
    return torch.cat([xt, torch.sin(arg), torch.cos(arg), embedding[t]], 1)


def make_model():
    theta = torch.tensor(config["theta"], dtype=torch.float32)
    layers = []
    offset = 0
    for l in range(len(sizes) - 1):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        linear = torch.nn.Linear(fan_in, fan_out)
        with torch.no_grad():
            # θ holds W (fanIn × fanOut, row-major) then b; nn.Linear keeps Wᵀ.
            linear.weight.copy_(theta[offset:offset + fan_in * fan_out].reshape(fan_in, fan_out).t())
            linear.bias.copy_(theta[offset + fan_in * fan_out:offset + fan_in * fan_out + fan_out])
        offset += fan_in * fan_out + fan_out
        layers.append(linear)
        if l + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Training:
    """Algorithm 1 with Adam and the weights' moving average, as the site's trainer."""

    def __init__(self, data, batch, lr):
        self.model = make_model()
        self.params = list(self.model.parameters())
        self.average = [p.detach().clone() for p in self.params]
        adam = config["adam"]
        self.optimizer = torch.optim.Adam(self.params, lr=lr, betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"])
        self.data = torch.tensor(data, dtype=torch.float32).reshape(-1, 2)
        self.batch = batch
        self.decay = config["weightAverage"]

    def step(self):
        B = self.batch
        x0 = self.data[torch.randint(0, len(self.data), (B,))]
        t = torch.randint(1, T + 1, (B,))
        eps = torch.randn(B, 2)
        xt = sqrt_ab[t - 1, None] * x0 + sqrt_1mab[t - 1, None] * eps  # Eq. 4
        loss = ((self.model(features(xt, t)) - eps) ** 2).sum(1).mean()  # L_simple, Eq. 14
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        with torch.no_grad():
            for a, p in zip(self.average, self.params):
                a.lerp_(p, 1 - self.decay)
        return loss


def sample(weights, n, generator):
    """Algorithm 2 with the given [W_0ᵀ, b_0, W_1ᵀ, b_1, …] (nn.Linear layout): x_T ~ N(0, I), then
    x_{t−1} = a_t x_t + b_t ε_θ(x_t, t) + c_t z. The time embedding enters the first layer as a
    per-t bias emb(t)·W_t + b_0, computed for every t at once (the site folds it the same way)."""
    with torch.inference_mode():
        Ws = [w.t().contiguous() for w in weights[0::2]]  # fanIn × fanOut for addmm
        bs = weights[1::2]
        nx = 2 + 4 * F
        bias_t = torch.addmm(bs[0], embedding, Ws[0][nx:])  # (T + 1) × width
        W0x = Ws[0][:nx].contiguous()
        x = torch.randn(n, 2, generator=generator)
        for t, a, b, c in updates:
            arg = x.repeat(1, F) * omega
            h = torch.addmm(bias_t[t], torch.cat([x, torch.sin(arg), torch.cos(arg)], 1), W0x).relu_()
            for l in range(1, len(Ws) - 1):
                h = torch.addmm(bs[l], h, Ws[l]).relu_()
            eps = torch.addmm(bs[-1], h, Ws[-1])
            x = x * a + eps * b
            if c > 0:
                x += torch.randn(n, 2, generator=generator) * c
        return x


def ms_per_step(batch, k, chunks):
    """Median ms per step over `chunks` chunks of k steps after one warm-up chunk (the browser rows' protocol)."""
    run = Training(config["benchData"], batch, config["learningRate"])
    for _ in range(k):
        run.step()
    times = []
    for _ in range(chunks):
        start = time.perf_counter()
        for _ in range(k):
            loss = run.step()
        loss.item()
        times.append((time.perf_counter() - start) * 1000 / k)
    return sorted(times)[len(times) // 2]


def energy_distance(a, b):
    """The V-statistic energy distance 2E‖a − b‖ − E‖a − a′‖ − E‖b − b′‖ (src/lib/metrics.ts), in float64."""
    a = a.double()
    b = b.double()
    return (2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean()).item()


def time_to_quality(task):
    """Seconds of training (the checks' sampling excluded) until 1,000 samples from the averaged
    weights come within 2× the energy floor of the held-out points; checked every `checkEvery` steps."""
    run = Training(task["data"], config["qualityBatch"], config["learningRate"])
    held_out = torch.tensor(task["heldOut"]).reshape(-1, 2)
    generator = torch.Generator().manual_seed(99)
    seconds = 0.0
    steps = 0
    checks = []
    while seconds < task["budgetSeconds"]:
        start = time.perf_counter()
        for _ in range(task["checkEvery"]):
            loss = run.step()
        loss.item()
        seconds += time.perf_counter() - start
        steps += task["checkEvery"]
        samples = sample(run.average, len(held_out), generator)
        energy = energy_distance(samples, held_out)
        checks.append([seconds, steps, energy])
        if energy <= 2 * task["floor"]:
            return {"dataset": task["dataset"], "seconds": seconds, "steps": steps, "checks": checks, "floor": task["floor"]}
    return {"dataset": task["dataset"], "seconds": None, "steps": None, "checks": checks, "floor": task["floor"]}


result = {"version": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_in_use()}
if mode == "steps":
    result["msPerStep256"] = ms_per_step(256, 20, 5)
    result["msPerStep512"] = ms_per_step(512, 10, 5)
    result["msPerStep2048"] = ms_per_step(2048, 5, 5)
    start = time.perf_counter()
    sample([p.detach() for p in make_model().parameters()], 2048, torch.Generator().manual_seed(1))
    result["sample2048Seconds"] = time.perf_counter() - start
elif mode == "quality":
    result["timeToQuality"] = [time_to_quality(task) for task in config["quality"]]
else:
    sys.exit(f"mode must be steps or quality, got {mode!r}")
print(json.dumps(result))
