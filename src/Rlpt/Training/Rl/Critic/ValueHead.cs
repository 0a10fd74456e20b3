using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Training.Rl.Critic;

/// <summary>
/// PPO's critic as a value head on the policy's final hidden states (a shared trunk, like TRL's ValueHead models): one
/// linear map hidden → scalar per position. It starts at zero, so the first values are 0 and the first advantages are
/// the discounted rewards. Saved in every checkpoint under "value_head".
/// </summary>
public sealed class ValueHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear v_head;

    public ValueHead(int hiddenSize) : base(nameof(ValueHead))
    {
        v_head = nn.Linear(hiddenSize, 1);
        using (no_grad())
        {
            v_head.weight!.zero_();
            v_head.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <param name="hidden">[..., hidden]</param>
    /// <returns>Values [...].</returns>
    public override Tensor forward(Tensor hidden) => v_head.forward(hidden).squeeze(-1);
}
