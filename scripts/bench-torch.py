"""The site's default denoiser and training step in PyTorch on the CPU, as a reference column for
`npm run bench`: the same MLP (2 + 32 time-embedding inputs, 3 hidden layers of 128, ReLU, 2
outputs), Adam, L_simple, batch 256 and 2048. Prints JSON."""
import json
import math
import time

import torch

T = 1000
torch.manual_seed(0)
betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
alpha_bar = torch.cumprod(1 - betas, 0).float()
half = 16
freqs = torch.tensor([10000 ** (-i / (half - 1)) for i in range(half)])
table = torch.arange(T + 1).float()[:, None] * freqs[None, :]
embedding = torch.cat([table.sin(), table.cos()], 1)
model = torch.nn.Sequential(
    torch.nn.Linear(2 + 2 * half, 128), torch.nn.ReLU(),
    torch.nn.Linear(128, 128), torch.nn.ReLU(),
    torch.nn.Linear(128, 128), torch.nn.ReLU(),
    torch.nn.Linear(128, 2),
)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
data = torch.randn(4000, 2)


def step(batch):
    x0 = data[torch.randint(0, len(data), (batch,))]
    t = torch.randint(1, T + 1, (batch,))
    eps = torch.randn(batch, 2)
    ab = alpha_bar[t - 1][:, None]
    xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
    loss = ((model(torch.cat([xt, embedding[t]], 1)) - eps) ** 2).sum(1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()


def ms_per_step(batch, k):
    for _ in range(k):
        step(batch)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(k):
            step(batch)
        times.append((time.perf_counter() - start) * 1000 / k)
    return sorted(times)[len(times) // 2]


print(json.dumps({
    "version": torch.__version__,
    "threads": torch.get_num_threads(),
    "msPerStep256": ms_per_step(256, 50),
    "msPerStep2048": ms_per_step(2048, 10),
}))
