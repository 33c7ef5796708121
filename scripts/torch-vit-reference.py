#!/usr/bin/python3
"""Reference outputs of small DINOv2-style ViTs, computed with PyTorch, for lib/models equality tests.

Mirrors facebookresearch/dinov2 (dinov2/models/vision_transformer.py, dinov2/layers/{patch_embed,attention,mlp,
layer_scale,block}.py) and transformers' Dinov2Embeddings.interpolate_pos_encoding, written out here so that the
script needs only torch. Random weights (seeded) are saved in both namings:
  <m>_dinov2.safetensors  dinov2 state-dict keys (patch_embed.proj.weight, blocks.N.attn.qkv.weight, ...)
  <m>_hf.safetensors      HF Dinov2Model keys (embeddings.*, encoder.layer.N.attention.attention.query.*, ...)
and outputs for two input sizes per model in reference.safetensors (keys "<m>/<H>x<W>/<variant>/<output>").

Models: A = patch 14, dim 48, 3 heads, 4 registers, LayerScale; B = patch 16, dim 32, 4 heads, no registers, no
LayerScale (HF copy gets lambda = 1). Both learned their position embeddings on a 4x4 grid.

Run: /usr/bin/python3 scripts/torch-vit-reference.py  (writes test/fixtures/models/)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "models")


class PatchEmbed(nn.Module):
    def __init__(self, patch, in_chans, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # B HW C


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.num_heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)
        self.last_attn = None

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        self.last_attn = attn
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class LayerScale(nn.Module):
    def __init__(self, dim, init):
        super().__init__()
        self.gamma = nn.Parameter(init * torch.ones(dim))

    def forward(self, x):
        return x * self.gamma


class Block(nn.Module):
    def __init__(self, dim, heads, hidden, ls):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.ls1 = LayerScale(dim, ls) if ls else nn.Identity()
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)
        self.ls2 = LayerScale(dim, ls) if ls else nn.Identity()

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class DinoVisionTransformer(nn.Module):
    def __init__(self, img_size, patch, dim, depth, heads, hidden, registers, ls, variant, in_chans=3):
        super().__init__()
        self.patch_size = patch
        self.variant = variant
        self.num_register_tokens = registers
        self.patch_embed = PatchEmbed(patch, in_chans, dim)
        n = (img_size // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.register_tokens = nn.Parameter(torch.zeros(1, registers, dim)) if registers else None
        self.mask_token = nn.Parameter(torch.zeros(1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, hidden, ls) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def interpolate_pos_encoding(self, x, w, h):
        npatch = x.shape[1] - 1
        N = self.pos_embed.shape[1] - 1
        if npatch == N and w == h:
            return self.pos_embed
        pos_embed = self.pos_embed.float()
        class_pos_embed = pos_embed[:, 0]
        patch_pos_embed = pos_embed[:, 1:]
        dim = x.shape[-1]
        w0 = w // self.patch_size
        h0 = h // self.patch_size
        M = int(math.sqrt(N))
        assert N == M * M
        grid = patch_pos_embed.reshape(1, M, M, dim).permute(0, 3, 1, 2)
        if self.variant == "dinov2":  # dinov2: scale_factor with the 0.1 offset, antialias off
            sx = float(w0 + 0.1) / M
            sy = float(h0 + 0.1) / M
            patch_pos_embed = F.interpolate(grid, scale_factor=(sx, sy), mode="bicubic", antialias=False)
        else:  # transformers Dinov2Embeddings: size=(new_height, new_width)
            patch_pos_embed = F.interpolate(grid.to(torch.float32), size=(w0, h0), mode="bicubic", align_corners=False)
        assert (w0, h0) == patch_pos_embed.shape[-2:]
        patch_pos_embed = patch_pos_embed.permute(0, 2, 3, 1).view(1, -1, dim)
        return torch.cat((class_pos_embed.unsqueeze(0), patch_pos_embed), dim=1)

    def prepare_tokens_with_masks(self, x, masks=None):
        B, nc, w, h = x.shape
        x = self.patch_embed(x)
        if masks is not None:
            x = torch.where(masks.unsqueeze(-1), self.mask_token.to(x.dtype).unsqueeze(0), x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        x = x + self.interpolate_pos_encoding(x, w, h)
        if self.register_tokens is not None:
            x = torch.cat((x[:, :1], self.register_tokens.expand(x.shape[0], -1, -1), x[:, 1:]), dim=1)
        return x

    def forward(self, x, masks=None, return_blocks=()):
        x = self.prepare_tokens_with_masks(x, masks)
        inter = {}
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i in return_blocks:
                inter[i] = self.norm(x)[:, 1 + self.num_register_tokens:]
        xn = self.norm(x)
        R = self.num_register_tokens
        attn = self.blocks[-1].attn.last_attn[:, :, 0, 1 + R:]
        return {"cls": xn[:, 0], "patches": xn[:, 1 + R:], "attention": attn, **{f"block{i}": v for i, v in inter.items()}}


def randomize(model, gen):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith("gamma"):
                p.copy_(0.5 + 0.3 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif name in ("cls_token", "pos_embed", "register_tokens", "mask_token"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            else:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))


def to_hf(sd, depth, dim, has_ls):
    """dinov2 state dict -> transformers Dinov2Model / Dinov2WithRegistersModel naming."""
    out = {
        "embeddings.cls_token": sd["cls_token"],
        "embeddings.mask_token": sd["mask_token"],
        "embeddings.position_embeddings": sd["pos_embed"],
        "embeddings.patch_embeddings.projection.weight": sd["patch_embed.proj.weight"],
        "embeddings.patch_embeddings.projection.bias": sd["patch_embed.proj.bias"],
        "layernorm.weight": sd["norm.weight"],
        "layernorm.bias": sd["norm.bias"],
    }
    if "register_tokens" in sd:
        out["embeddings.register_tokens"] = sd["register_tokens"]
    for i in range(depth):
        s, t = f"blocks.{i}.", f"encoder.layer.{i}."
        for a, b in [("norm1", "norm1"), ("norm2", "norm2"), ("mlp.fc1", "mlp.fc1"), ("mlp.fc2", "mlp.fc2"),
                     ("attn.proj", "attention.output.dense")]:
            out[t + b + ".weight"] = sd[s + a + ".weight"]
            out[t + b + ".bias"] = sd[s + a + ".bias"]
        qw, kw, vw = sd[s + "attn.qkv.weight"].chunk(3, 0)
        qb, kb, vb = sd[s + "attn.qkv.bias"].chunk(3, 0)
        for n, w, b in [("query", qw, qb), ("key", kw, kb), ("value", vw, vb)]:
            out[t + f"attention.attention.{n}.weight"] = w
            out[t + f"attention.attention.{n}.bias"] = b
        for j in (1, 2):
            out[t + f"layer_scale{j}.lambda1"] = sd[s + f"ls{j}.gamma"] if has_ls else torch.ones(dim)
    return out


def save_safetensors(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for k in sorted(tensors):
        a = np.ascontiguousarray(tensors[k].detach().cpu().numpy().astype("<f4"))
        header[k] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes())
        off += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for b in blobs:
            f.write(b)


MODELS = {
    "A": dict(img_size=56, patch=14, dim=48, depth=2, heads=3, hidden=96, registers=4, ls=1e-5, sizes=[(70, 70), (42, 56)]),
    "B": dict(img_size=64, patch=16, dim=32, depth=2, heads=4, hidden=64, registers=0, ls=None, sizes=[(80, 80), (48, 96)]),
}


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    refs = {}
    for mi, (name, cfg) in enumerate(MODELS.items()):
        gen = torch.Generator().manual_seed(100 + mi)
        args = {k: cfg[k] for k in ("img_size", "patch", "dim", "depth", "heads", "hidden", "registers", "ls")}
        ref = DinoVisionTransformer(**args, variant="dinov2").eval()
        randomize(ref, gen)
        sd = {k: v.clone() for k, v in ref.state_dict().items()}
        save_safetensors(os.path.join(OUT, f"{name}_dinov2.safetensors"), sd)
        save_safetensors(os.path.join(OUT, f"{name}_hf.safetensors"), to_hf(sd, cfg["depth"], cfg["dim"], cfg["ls"] is not None))
        hf = DinoVisionTransformer(**args, variant="hf").eval()
        hf.load_state_dict(sd)
        for si, (h, w) in enumerate(cfg["sizes"]):
            x = torch.randn(2, 3, h, w, generator=gen)
            key = f"{name}/{h}x{w}"
            refs[f"{key}/x"] = x
            with torch.no_grad():
                for variant, model in (("dinov2", ref), ("hf", hf)):
                    o = model(x, return_blocks=(0,) if si == 0 else ())
                    for k, v in o.items():
                        refs[f"{key}/{variant}/{k}"] = v
                if si == 1:
                    T = (h // cfg["patch"]) * (w // cfg["patch"])
                    masks = torch.rand(2, T, generator=gen) < 0.4
                    o = ref(x, masks=masks)
                    refs[f"{key}/masks"] = masks.float()
                    refs[f"{key}/dinov2_masked/cls"] = o["cls"]
                    refs[f"{key}/dinov2_masked/patches"] = o["patches"]
    save_safetensors(os.path.join(OUT, "reference.safetensors"), refs, {"generator": "scripts/torch-vit-reference.py", "torch": torch.__version__})
    # The CLI test embeds this input with model A (dinov2 naming) and compares with reference.safetensors.
    xa = refs["A/70x70/x"].numpy().astype("<f4")
    with open(os.path.join(OUT, "A_x_70.npy"), "wb") as f:
        np.save(f, xa)
    print("wrote", OUT, "torch", torch.__version__)


if __name__ == "__main__":
    main()
