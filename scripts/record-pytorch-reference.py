# Records the PyTorch values the engine tests compare against, with Debian python3-torch 1.13:
#   /usr/bin/python3 scripts/record-pytorch-reference.py
# writes test/fixtures/pytorch-reference.json (optimizer trajectories, BatchNorm1d, activations,
# losses, clipping and init gains; test/engine-pytorch-reference.test.ts) and
# test/fixtures/pytorch-mlp-reference.json (whole small MLPs, end to end, like llm.c's
# test_gpt2.c: logits, loss, every parameter gradient of the first step, and the losses of 10 SGD
# and 10 Adam steps; test/engine-pytorch-mlp.test.ts). Parameters are named as the engine names them.
import json, os
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=10)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def unit_values():
    def run(make):
        p = torch.nn.Parameter(torch.tensor([0.5, -1.0, 2.0, 0.0], dtype=torch.float32))
        opt = make([p])
        out = []
        for t in range(1, 4):
            p.grad = torch.tensor([0.1 * t, -0.2, 0.3 / t, 0.05], dtype=torch.float32)
            opt.step()
            out.append([float(v) for v in p.detach()])
        return out
    res = {
     'sgd_momentum_dampening_wd': run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
     'sgd_nesterov_wd': run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
     'sgd_plain': run(lambda ps: torch.optim.SGD(ps, lr=0.1)),
     'adam_coupled_wd': run(lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1)),
     'adamw': run(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1)),
     'rmsprop_plain': run(lambda ps: torch.optim.RMSprop(ps, lr=0.01)),
     'rmsprop_momentum_wd': run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, weight_decay=0.1)),
     'rmsprop_centered': run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True)),
     'rmsprop_centered_momentum': run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.8, momentum=0.9, centered=True)),
     'adagrad_plain': run(lambda ps: torch.optim.Adagrad(ps, lr=0.1)),
     'adagrad_decay_wd_init': run(lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2)),
    }
    # batch norm
    bn = torch.nn.BatchNorm1d(3)
    x = torch.tensor([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0], [2.0, 0.0, 0.0], [-1.0, 1.0, 1.0]])
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.5, 0.5, -1.0])); bn.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))
    bn.train(); y = bn(x)
    res['bn_train_out'] = y.detach().tolist(); res['bn_running_mean'] = bn.running_mean.tolist(); res['bn_running_var'] = bn.running_var.tolist()
    bn.eval(); res['bn_eval_out'] = bn(x).detach().tolist()
    # activations
    z = torch.tensor([-3.0, -0.5, 0.0, 0.7, 2.5])
    res['act'] = {
     'gelu': F.gelu(z).tolist(), 'gelu_tanh': F.gelu(z, approximate='tanh').tolist(), 'selu': F.selu(z).tolist(),
     'elu_0.7': F.elu(z, alpha=0.7).tolist(), 'softplus': F.softplus(z).tolist(), 'leaky_0.1': F.leaky_relu(z, 0.1).tolist(),
     'silu': F.silu(z).tolist(), 'mish': F.mish(z).tolist()}
    # derivatives through autograd (torch's own backward formulas), at z and far out
    zg = torch.tensor([-30.0, -3.0, -1.2, -0.5, 0.0, 0.7, 2.5, 25.0])
    res['act_grad'] = {'z': zg.tolist()}
    for name, f in (('silu', F.silu), ('mish', F.mish)):
        t = zg.clone().requires_grad_(True)
        f(t).sum().backward()
        res['act_grad'][name] = t.grad.tolist()
    # losses
    logits = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 0.0, -5.0]], requires_grad=True)
    l = F.cross_entropy(logits, torch.tensor([2, 1])); l.backward()
    res['ce'] = {'loss': l.item(), 'grad': logits.grad.tolist()}
    zb = torch.tensor([[0.0], [100.0], [-100.0], [1.5]], requires_grad=True)
    lb = F.binary_cross_entropy_with_logits(zb, torch.tensor([[1.0], [0.0], [0.0], [1.0]])); lb.backward()
    res['bce'] = {'loss': lb.item(), 'grad': zb.grad.tolist()}
    # clip
    g1 = torch.nn.Parameter(torch.zeros(2)); g1.grad = torch.tensor([3.0, 4.0])
    g2 = torch.nn.Parameter(torch.zeros(1)); g2.grad = torch.tensor([12.0])
    tot = torch.nn.utils.clip_grad_norm_([g1, g2], max_norm=1.0)
    res['clip'] = {'total': tot.item(), 'g1': g1.grad.tolist(), 'g2': g2.grad.tolist()}
    # init gains

    # orthogonal_: the N(0, 1) draws it starts from (same seed, same first draw) and its result
    res['orthogonal'] = []
    for rows, cols, gain, seed in ((3, 5, 1.0, 1), (5, 3, 5 / 3, 2), (4, 4, 1.0, 3), (1, 6, 2.0, 4)):
        torch.manual_seed(seed); a = torch.empty(rows, cols).normal_(0, 1)
        torch.manual_seed(seed); w = torch.empty(rows, cols); torch.nn.init.orthogonal_(w, gain=gain)
        res['orthogonal'].append({'rows': rows, 'cols': cols, 'gain': gain, 'normals': a.flatten().tolist(), 'weight': w.flatten().tolist()})
    res['schedules'] = schedules()
    res['gain'] = {'tanh': torch.nn.init.calculate_gain('tanh'), 'relu': torch.nn.init.calculate_gain('relu'), 'leaky_relu:0.2': torch.nn.init.calculate_gain('leaky_relu', 0.2), 'selu': torch.nn.init.calculate_gain('selu'), 'sigmoid': torch.nn.init.calculate_gain('sigmoid')}
    return res


def schedules():
    """Per-epoch learning rates (the rate in force during epoch e, stepped once per epoch) of the
    engine's schedules, as torch builds them: ExponentialLR, OneCycleLR (cos, cycle_momentum off,
    total_steps = epochs) and warmup = SequentialLR([LinearLR(start_factor, total_iters=W), s], [W])."""
    S = torch.optim.lr_scheduler

    def main(o, sch, rest):
        if sch['name'] == 'exponential':
            return S.ExponentialLR(o, gamma=sch['gamma'])
        if sch['name'] == 'step':
            return S.StepLR(o, step_size=sch['stepSize'], gamma=sch['gamma'])
        if sch['name'] == 'cosine':
            return S.CosineAnnealingLR(o, T_max=sch.get('tMax', rest))
        if sch['name'] == 'constant':
            return S.ConstantLR(o, factor=1.0, total_iters=0)
        return S.OneCycleLR(o, max_lr=o.param_groups[0]['lr'], total_steps=rest, pct_start=sch.get('pctStart', 0.3),
                            div_factor=sch.get('divFactor', 25.0), final_div_factor=sch.get('finalDivFactor', 1e4),
                            anneal_strategy='cos', cycle_momentum=False)

    cases = [
        (6, {'name': 'exponential', 'gamma': 0.8}, None),
        (10, {'name': 'onecycle'}, None),
        (7, {'name': 'onecycle', 'pctStart': 0.25, 'divFactor': 10, 'finalDivFactor': 100}, None),
        (10, {'name': 'cosine'}, {'epochs': 3, 'startFactor': 0.25}),
        (10, {'name': 'cosine', 'tMax': 5}, {'epochs': 2}),
        (10, {'name': 'step', 'stepSize': 2, 'gamma': 0.5}, {'epochs': 3, 'startFactor': 0.25}),
        (10, {'name': 'exponential', 'gamma': 0.8}, {'epochs': 3, 'startFactor': 0.25}),
        (5, {'name': 'constant'}, {'epochs': 2}),
    ]
    out = []
    for epochs, sch, warmup in cases:
        p = torch.nn.Parameter(torch.zeros(1))
        o = torch.optim.SGD([p], lr=0.1)
        if warmup is None:
            s = main(o, sch, epochs)
        else:
            w = warmup['epochs']
            lin = S.LinearLR(o, start_factor=warmup.get('startFactor', 1 / 3), total_iters=w)
            s = S.SequentialLR(o, [lin, main(o, sch, epochs - w)], milestones=[w])
        lrs = []
        for _ in range(epochs):
            lrs.append(o.param_groups[0]['lr'])
            o.step()
            s.step()
        out.append({'epochs': epochs, 'lr': 0.1, 'schedule': sch, 'warmup': warmup, 'lrs': lrs})
    return out


# ---- Whole MLPs, end to end ----------------------------------------------------------------
# The engine's hidden layer: z = linear(x); batch norm 'pre' normalizes z before the activation,
# 'post' normalizes the activation's output; dropout (off here: p = 0 has no layer); a residual
# layer adds its input, through a bias-free projection Linear when the widths differ. Heads: softmax -> cross-entropy, sigmoid -> BCE with logits, linear -> MSE.

ACTIVATIONS = {
    'identity': lambda x, a: x, 'sigmoid': lambda x, a: torch.sigmoid(x), 'tanh': lambda x, a: torch.tanh(x),
    'relu': lambda x, a: F.relu(x), 'leaky_relu': lambda x, a: F.leaky_relu(x, a), 'elu': lambda x, a: F.elu(x, a),
    'gelu': lambda x, a: F.gelu(x), 'gelu_tanh': lambda x, a: F.gelu(x, approximate='tanh'), 'selu': lambda x, a: F.selu(x),
    'softplus': lambda x, a: F.softplus(x), 'silu': lambda x, a: F.silu(x), 'mish': lambda x, a: F.mish(x),
}

MODELS = [
    {'name': 'softmax-bn-pre', 'inputSize': 4, 'outputSize': 3, 'head': 'softmax', 'hidden': [
        {'width': 8, 'activation': 'relu', 'batchNorm': 'pre'},
        {'width': 8, 'activation': 'tanh', 'batchNorm': 'pre', 'residual': True}]},
    {'name': 'sigmoid-bn-post-residual', 'inputSize': 5, 'outputSize': 1, 'head': 'sigmoid', 'hidden': [
        {'width': 6, 'activation': 'elu', 'alpha': 0.7, 'batchNorm': 'post'},
        {'width': 6, 'activation': 'gelu', 'batchNorm': 'post', 'residual': True}]},
    {'name': 'linear-mse-residual', 'inputSize': 3, 'outputSize': 2, 'head': 'linear', 'hidden': [
        {'width': 5, 'activation': 'sigmoid'},
        {'width': 5, 'activation': 'softplus', 'residual': True},
        {'width': 4, 'activation': 'leaky_relu', 'alpha': 0.1}]},
    {'name': 'softmax-mixed', 'inputSize': 4, 'outputSize': 3, 'head': 'softmax', 'hidden': [
        {'width': 6, 'activation': 'selu'},
        {'width': 6, 'activation': 'gelu_tanh', 'batchNorm': 'pre', 'residual': True},
        {'width': 5, 'activation': 'identity', 'batchNorm': 'post', 'dropout': 0.0}]},
    {'name': 'softmax-silu-mish', 'inputSize': 4, 'outputSize': 3, 'head': 'softmax', 'hidden': [
        {'width': 7, 'activation': 'silu', 'batchNorm': 'pre'},
        {'width': 7, 'activation': 'mish', 'residual': True},
        {'width': 5, 'activation': 'mish'}]},
    {'name': 'softmax-residual-projection', 'inputSize': 4, 'outputSize': 3, 'head': 'softmax', 'hidden': [
        {'width': 6, 'activation': 'tanh', 'residual': True},
        {'width': 9, 'activation': 'mish', 'batchNorm': 'pre', 'residual': True},
        {'width': 9, 'activation': 'relu', 'residual': True},
        {'width': 5, 'activation': 'silu', 'batchNorm': 'post', 'residual': True}]},
]
ROWS = 12
SGD = {'name': 'sgd', 'lr': 0.05, 'momentum': 0.9}
ADAM = {'name': 'adam', 'lr': 0.01}
RMSPROP = {'name': 'rmsprop', 'lr': 0.005, 'momentum': 0.5, 'centered': True}
ADAGRAD = {'name': 'adagrad', 'lr': 0.05, 'lrDecay': 0.01, 'initialAccumulatorValue': 0.1}


def torch_optimizer(opt, params):
    if opt['name'] == 'sgd':
        return torch.optim.SGD(params, lr=opt['lr'], momentum=opt['momentum'])
    if opt['name'] == 'adam':
        return torch.optim.Adam(params, lr=opt['lr'])
    if opt['name'] == 'rmsprop':
        return torch.optim.RMSprop(params, lr=opt['lr'], momentum=opt['momentum'], centered=opt['centered'])
    return torch.optim.Adagrad(params, lr=opt['lr'], lr_decay=opt['lrDecay'], initial_accumulator_value=opt['initialAccumulatorValue'])
STEPS = 10


class MLP(torch.nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.linears = torch.nn.ModuleList()
        self.norms = torch.nn.ModuleList()
        self.projections = torch.nn.ModuleList()
        d = spec['inputSize']
        for h in spec['hidden']:
            self.linears.append(torch.nn.Linear(d, h['width']))
            self.projections.append(torch.nn.Linear(d, h['width'], bias=False) if h.get('residual') and d != h['width'] else torch.nn.Identity())
            self.norms.append(torch.nn.BatchNorm1d(h['width']) if h.get('batchNorm', 'none') != 'none' else torch.nn.Identity())
            d = h['width']
        self.output = torch.nn.Linear(d, spec['outputSize'])

    def forward(self, x):
        for h, lin, norm, proj in zip(self.spec['hidden'], self.linears, self.norms, self.projections):
            f = lambda t: ACTIVATIONS[h['activation']](t, h.get('alpha', 0.0))
            z = lin(x)
            bn = h.get('batchNorm', 'none')
            y = f(norm(z)) if bn == 'pre' else norm(f(z)) if bn == 'post' else f(z)
            x = proj(x) + y if h.get('residual') else y
        return self.output(x)

    def named(self):
        """(engine name, tensor) for every parameter, in the engine's order."""
        out = []
        for i, (h, lin, norm, proj) in enumerate(zip(self.spec['hidden'], self.linears, self.norms, self.projections)):
            out += [(f'hidden.{i}.linear.weight', lin.weight), (f'hidden.{i}.linear.bias', lin.bias)]
            if h.get('batchNorm', 'none') != 'none':
                out += [(f'hidden.{i}.bn.gamma', norm.weight), (f'hidden.{i}.bn.beta', norm.bias)]
            if isinstance(proj, torch.nn.Linear):
                out += [(f'hidden.{i}.residual.weight', proj.weight)]
        return out + [('output.weight', self.output.weight), ('output.bias', self.output.bias)]


def loss_of(spec, logits, y):
    if spec['head'] == 'softmax':
        return F.cross_entropy(logits, y)
    if spec['head'] == 'sigmoid':
        return F.binary_cross_entropy_with_logits(logits, y)
    return F.mse_loss(logits, y)


def record_model(spec, seed):
    torch.manual_seed(seed)
    model = MLP(spec)
    with torch.no_grad():  # gamma and beta away from 1 and 0, so their gradients are exercised
        for h, norm in zip(spec['hidden'], model.norms):
            if h.get('batchNorm', 'none') != 'none':
                norm.weight.uniform_(0.5, 1.5)
                norm.bias.uniform_(-0.3, 0.3)
    x = torch.randn(ROWS, spec['inputSize'])
    if spec['head'] == 'softmax':
        y = torch.arange(ROWS) % spec['outputSize']
    elif spec['head'] == 'sigmoid':
        y = (torch.arange(ROWS) % 2).float().reshape(ROWS, 1)
    else:
        y = torch.randn(ROWS, spec['outputSize'])
    initial = {n: p.detach().clone() for n, p in model.named()}

    model.train()
    logits = model(x)
    loss = loss_of(spec, logits, y)
    loss.backward()
    out = {
        'spec': spec, 'x': x.tolist(), 'y': y.tolist(),
        'params': {n: t.flatten().tolist() for n, t in initial.items()},
        'logits': logits.detach().flatten().tolist(), 'loss': loss.item(),
        'grads': {n: p.grad.flatten().tolist() for n, p in model.named()},
    }
    for key, opt in (('sgd', SGD), ('adam', ADAM), ('rmsprop', RMSPROP), ('adagrad', ADAGRAD)):
        with torch.no_grad():
            for n, p in model.named():
                p.copy_(initial[n])
        params = [p for _, p in model.named()]
        o = torch_optimizer(opt, params)
        losses = []
        for _ in range(STEPS):
            o.zero_grad()
            l = loss_of(spec, model(x), y)
            l.backward()
            o.step()
            losses.append(l.item())
        out[f'{key}Losses'] = losses
    return out


def mlp_runs():
    return {'rows': ROWS, 'steps': STEPS, 'sgd': SGD, 'adam': ADAM, 'rmsprop': RMSPROP, 'adagrad': ADAGRAD,
            'models': [record_model(spec, seed) for seed, spec in enumerate(MODELS, start=1)]}


def write(name, value):
    with open(os.path.join(ROOT, 'test', 'fixtures', name), 'w') as f:
        f.write(json.dumps(value, indent=1) + '\n')


if __name__ == '__main__':
    write('pytorch-reference.json', unit_values())
    write('pytorch-mlp-reference.json', mlp_runs())
