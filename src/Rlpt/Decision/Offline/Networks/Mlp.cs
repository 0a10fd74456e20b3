using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>A ReLU multilayer perceptron: <c>depth</c> hidden layers of <c>hidden</c> units, then a linear output (CORL's and d3rlpy's default value and policy networks).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;

    public Mlp(int input, int output, int hidden, int depth) : base(nameof(Mlp))
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = input;
        for (int i = 0; i < depth; i++)
        {
            modules.Add(($"{2 * i}", nn.Linear(width, hidden)));
            modules.Add(($"{2 * i + 1}", nn.ReLU()));
            width = hidden;
        }
        modules.Add(($"{2 * depth}", nn.Linear(width, output)));
        layers = nn.Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
