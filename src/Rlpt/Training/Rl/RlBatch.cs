using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Completions with their prompts, in completion coordinates: column j of <see cref="Targets"/>, <see cref="OldLogProbs"/>,
/// <see cref="Mask"/> and <see cref="Advantages"/> is completion token j ([rows, longest completion], right-padded). A row's
/// sequence-level advantage is repeated over its completion tokens, so <see cref="Advantages"/> is token-level like the
/// rest. Log-probabilities are computed only at the positions that predict completion tokens (the last prompt position and
/// every completion position but the last): the lm_head and the full-vocabulary softmax never run over the prompt.
/// </summary>
internal sealed record RlBatch(IReadOnlyList<IReadOnlyList<int>> Prompts, IReadOnlyList<IReadOnlyList<int>> Completions, Tensor Targets, Tensor OldLogProbs, Tensor Mask, Tensor Advantages, int PadId)
{
    public static RlBatch Build(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion, IReadOnlyList<float> LogProbs, float Mask, float Advantage)> rows, int padId, Device device)
    {
        int length = Math.Max(1, rows.Max(r => r.Completion.Count));
        var ids = new long[rows.Count * length];
        Array.Fill(ids, padId);
        var old = new float[rows.Count * length];
        var mask = new float[rows.Count * length];
        var advantages = new float[rows.Count * length];
        for (int r = 0; r < rows.Count; r++)
        {
            var (_, completion, logProbs, rowMask, advantage) = rows[r];
            for (int j = 0; j < completion.Count; j++)
            {
                int position = r * length + j;
                ids[position] = completion[j];
                old[position] = logProbs[j];
                mask[position] = rowMask;
                advantages[position] = advantage;
            }
        }
        return new RlBatch(rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Completion).ToArray(), tensor(ids, [rows.Count, length], device: device),
            tensor(old, [rows.Count, length], device: device),
            tensor(mask, [rows.Count, length], device: device),
            tensor(advantages, [rows.Count, length], device: device),
            padId);
    }

    /// <summary>True when every row continues the same prompt, so <see cref="Logits"/> can forward it once.</summary>
    public bool OnePrompt => Prompts.All(p => ReferenceEquals(p, Prompts[0]) || p.SequenceEqual(Prompts[0]));

    /// <summary>Logits [rows, completion length, vocab] predicting each completion token (the lm_head on <see cref="Hidden"/>).</summary>
    public Tensor Logits(CausalLM model, bool sharePrefix)
    {
        using var scope = NewDisposeScope();
        return model.Logits(Hidden(model, sharePrefix)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Final hidden states [rows, completion length, hidden] at the positions that predict each completion token (where a
    /// critic reads its values too). With <paramref name="sharePrefix"/> (rows of one prompt) the prompt is forwarded once
    /// and the rows attend to its keys and values (<see cref="SharedPrefix"/>); otherwise each row's prompt and completion
    /// are forwarded together, right-padded.
    /// </summary>
    public Tensor Hidden(CausalLM model, bool sharePrefix)
    {
        using var scope = NewDisposeScope();
        var device = Targets.device;
        long rows = Targets.shape[0], length = Targets.shape[1];
        Tensor hidden;
        if (sharePrefix)
        {
            if (!OnePrompt) throw new InvalidOperationException("a shared-prefix batch holds the completions of one prompt.");
            using var prefix = new SharedPrefix(model.Config.NumHiddenLayers);
            var prompt = tensor(Prompts[0].Select(t => (long)t).ToArray(), [1, Prompts[0].Count], device: device);
            var promptHidden = model.Hidden(prompt, cache: prefix);
            var last = promptHidden.narrow(1, Prompts[0].Count - 1, 1).expand(rows, 1, -1);
            hidden = length == 1 ? last : cat([last, model.Hidden(Targets.narrow(1, 0, length - 1), cache: prefix)], 1);
        }
        else
        {
            int total = Prompts.Max(p => p.Count) + (int)length;
            var ids = new long[rows * total];
            var positions = new long[rows * length];
            Array.Fill(ids, PadId);
            for (int r = 0; r < rows; r++)
            {
                var prompt = Prompts[r];
                for (int t = 0; t < prompt.Count; t++) ids[r * total + t] = prompt[t];
                for (int j = 0; j < Completions[r].Count; j++) ids[r * total + prompt.Count + j] = Completions[r][j];
                for (int j = 0; j < length; j++) positions[r * length + j] = prompt.Count - 1 + j;
            }
            var full = model.Hidden(tensor(ids, [rows, total], device: device));
            var index = tensor(positions, [rows, length], device: device).unsqueeze(-1).expand(rows, length, full.shape[2]);
            hidden = full.gather(1, index);
        }
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>Per-token values of each row ([rows, completion length], right-padded with 0), e.g. GAE advantages.</summary>
    public Tensor TokenValues(IReadOnlyList<float[]> rows)
    {
        long length = Targets.shape[1];
        var values = new float[rows.Count * length];
        for (int r = 0; r < rows.Count; r++) Array.Copy(rows[r], 0, values, r * length, rows[r].Length);
        return tensor(values, [rows.Count, length], device: Targets.device);
    }

    /// <summary>log π(target) under the temperature-scaled distribution, as the sampler scored it: [rows, completion length].</summary>
    public static Tensor TokenLogProbs(Tensor logits, Tensor targets, double temperature)
    {
        using var scope = NewDisposeScope();
        return (logits / temperature).log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
