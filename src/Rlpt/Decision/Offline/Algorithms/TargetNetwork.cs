using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>Target networks: a hard copy (DQN) or Polyak averaging θ′ ← τθ + (1 − τ)θ′ (DDPG onwards).</summary>
public static class TargetNetwork
{
    public static void Copy(nn.Module online, nn.Module target) => Update(online, target, 1.0);

    public static void Update(nn.Module online, nn.Module target, double tau)
    {
        using var guard = no_grad();
        var source = online.parameters().ToArray();
        var destination = target.parameters().ToArray();
        using Scalar keep = 1 - tau, take = tau; // explicit: see AdamW on implicit Scalars
        for (int i = 0; i < source.Length; i++) destination[i].mul_(keep).add_(source[i], take);
    }
}
