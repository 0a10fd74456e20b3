using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Target networks: a hard copy (DQN) or Polyak averaging θ′ ← τθ + (1 − τ)θ′ of the parameters (DDPG onwards). A copy
/// takes buffers too (an observation scaler's statistics), so a target built beside its network matches it whole.
/// </summary>
public static class TargetNetwork
{
    public static void Copy(nn.Module online, nn.Module target)
    {
        using var guard = no_grad();
        var source = online.state_dict();
        foreach (var (key, tensor) in target.state_dict()) tensor.copy_(source[key]);
    }

    public static void Update(nn.Module online, nn.Module target, double tau)
    {
        using var guard = no_grad();
        var source = online.parameters().ToArray();
        var destination = target.parameters().ToArray();
        using Scalar keep = 1 - tau, take = tau; // explicit: see AdamW on implicit Scalars
        for (int i = 0; i < source.Length; i++) destination[i].mul_(keep).add_(source[i], take);
    }
}
