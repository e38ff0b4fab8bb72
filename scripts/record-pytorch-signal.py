# Records the PyTorch reference of the signal at initialization (src/engine/inference/signal.ts),
# with Debian python3-torch 1.13:
#   /usr/bin/python3 scripts/record-pytorch-signal.py
# writes test/fixtures/pytorch-signal-reference.json: for the small MLPs of
# record-pytorch-reference.py (batch norm pre and post, residual layers, softmax, sigmoid and linear
# heads), the parameters, a batch, and per layer the population variance over the batch of the
# linear output z, of the activation output (the engine's: f(bn(z)) for batch norm 'pre', f(z)
# otherwise) and of dLoss/dz (loss = batch mean), with the output layer's logits and their gradient.
# test/signal-at-init.test.ts loads the parameters into the engine and compares.
import importlib.util, json, os
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
spec = importlib.util.spec_from_file_location('ref', os.path.join(ROOT, 'scripts', 'record-pytorch-reference.py'))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def var(t):
    return t.detach().double().var(unbiased=False).item()


def record(model_spec, seed):
    torch.manual_seed(100 + seed)
    model = ref.MLP(model_spec)
    with torch.no_grad():
        for h, norm in zip(model_spec['hidden'], model.norms):
            if h.get('batchNorm', 'none') != 'none':
                norm.weight.uniform_(0.5, 1.5)
                norm.bias.uniform_(-0.3, 0.3)
    rows = ref.ROWS
    x = torch.randn(rows, model_spec['inputSize'])
    if model_spec['head'] == 'softmax':
        y = torch.arange(rows) % model_spec['outputSize']
    elif model_spec['head'] == 'sigmoid':
        y = (torch.arange(rows) % 2).float().reshape(rows, 1)
    else:
        y = torch.randn(rows, model_spec['outputSize'])
    model.train()
    zs, acts = [], []
    h_in = x
    for h, lin, norm in zip(model_spec['hidden'], model.linears, model.norms):
        f = lambda t: ref.ACTIVATIONS[h['activation']](t, h.get('alpha', 0.0))
        z = lin(h_in)
        z.retain_grad()
        bn = h.get('batchNorm', 'none')
        a = f(norm(z)) if bn == 'pre' else f(z)
        out = norm(a) if bn == 'post' else a
        h_in = h_in + out if h.get('residual') else out
        zs.append(z)
        acts.append(a)
    logits = model.output(h_in)
    logits.retain_grad()
    loss = ref.loss_of(model_spec, logits, y)
    loss.backward()
    layers = [{'preActivationVar': var(z), 'activationVar': var(a), 'gradVar': var(z.grad)} for z, a in zip(zs, acts)]
    layers.append({'preActivationVar': var(logits), 'activationVar': None, 'gradVar': var(logits.grad)})
    return {
        'spec': model_spec, 'x': x.tolist(), 'y': y.tolist(),
        'params': {n: t.detach().flatten().tolist() for n, t in model.named()},
        'loss': loss.item(), 'layers': layers,
    }


if __name__ == '__main__':
    out = {'rows': ref.ROWS, 'models': [record(s, i) for i, s in enumerate(ref.MODELS, start=1)]}
    with open(os.path.join(ROOT, 'test', 'fixtures', 'pytorch-signal-reference.json'), 'w') as f:
        f.write(json.dumps(out, indent=1) + '\n')
