# Records the PyTorch values the engine tests compare against (test/fixtures/pytorch-reference.json).
# Run with Debian python3-torch 1.13: /usr/bin/python3 scripts/record-pytorch-reference.py > test/fixtures/pytorch-reference.json
import torch, json
torch.set_printoptions(precision=10)
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
import torch.nn.functional as F
res['act'] = {
 'gelu': F.gelu(z).tolist(), 'gelu_tanh': F.gelu(z, approximate='tanh').tolist(), 'selu': F.selu(z).tolist(),
 'elu_0.7': F.elu(z, alpha=0.7).tolist(), 'softplus': F.softplus(z).tolist(), 'leaky_0.1': F.leaky_relu(z, 0.1).tolist()}
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

res['gain'] = {'tanh': torch.nn.init.calculate_gain('tanh'), 'relu': torch.nn.init.calculate_gain('relu'), 'leaky_relu:0.2': torch.nn.init.calculate_gain('leaky_relu', 0.2), 'selu': torch.nn.init.calculate_gain('selu'), 'sigmoid': torch.nn.init.calculate_gain('sigmoid')}
print(json.dumps(res, indent=1))
