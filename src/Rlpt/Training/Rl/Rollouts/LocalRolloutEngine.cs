using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Training.Rl.Rollouts;

/// <summary>Rollouts on the policy itself, in the trainer's process: always the current weights, nothing to sync.</summary>
public sealed class LocalRolloutEngine(CausalLM policy, Tokenizer tokenizer, bool sharePrefixes) : IRolloutEngine
{
    private readonly BatchGenerator generator = new(policy, tokenizer) { SharePrefixes = sharePrefixes };
    private int version;

    public string Name => RolloutEngines.Local;
    public bool Remote => false;
    public int? WeightVersion => version;

    public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellation)
    {
        using (new EvalMode(policy))
            return Task.FromResult(generator.Generate(requests, cancellation));
    }

    public void SyncWeights(int version, CancellationToken cancellation) => this.version = version;

    public IReadOnlyDictionary<string, double> TakeMetrics() => new Dictionary<string, double>();

    public void Dispose() { }
}
