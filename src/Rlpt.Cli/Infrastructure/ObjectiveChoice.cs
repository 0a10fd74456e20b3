using Rlpt.Data.Store;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Rewards;
using Rlpt.Serving;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// The objective a command's flags name, with its options, reward weights and judge, all validated on construction
/// (before any model is loaded); <see cref="Create"/> then builds it on the loaded policy. Shared by train and dpo.
/// </summary>
public sealed class ObjectiveChoice : IAsyncDisposable
{
    private readonly ObjectiveSettings settings;
    private readonly JudgeOptions judgeOptions;
    private LocalChatModel? localJudge;

    public ObjectiveChoice(ObjectiveSettings settings)
    {
        this.settings = settings;
        Definition = ObjectiveRegistry.Get(settings.Objective);
        Options = ConfigBinder.Bind(Definition.OptionsType, settings);
        Weights = settings.Reward.Length > 0 ? WeightOptions.Parse(settings.Reward, "--reward") : null;
        if (settings.JudgeUrl is not null && settings.JudgeLocal is not null) throw new ArgumentException("give either --judge-url or --judge-local, not both.");
        judgeOptions = new JudgeOptions { OnFailure = FailurePolicy(settings.JudgeOnFailure) };
        Judge = HttpJudge();
    }

    public ObjectiveDefinition Definition { get; }
    public object Options { get; }
    public IReadOnlyDictionary<string, double>? Weights { get; }
    public JudgeSource? Judge { get; private set; }

    /// <summary>Loads the in-process judge (--judge-local), when one is named.</summary>
    public void LoadJudge(Device device)
    {
        if (settings.JudgeLocal is null) return;
        localJudge = LocalChatModel.Load(settings.JudgeLocal, device);
        Judge = JudgeSource.ChatClient($"{settings.JudgeLocal} (in process)", localJudge.Client, judgeOptions);
    }

    public IRlObjective Create(TokenDataset? data, CausalLM policy, Tokenizer tokenizer, Device device, Action<string> log) =>
        Definition.Create(new ObjectiveSetup(data, policy, tokenizer, device, type => type == Definition.OptionsType ? Options : ConfigBinder.Bind(type, settings), Weights, Judge, log));

    public ValueTask DisposeAsync() => localJudge?.DisposeAsync() ?? ValueTask.CompletedTask;

    private JudgeSource? HttpJudge()
    {
        if (settings.JudgeUrl is null) return null;
        if (!Uri.TryCreate(settings.JudgeUrl, UriKind.Absolute, out var uri)) throw new ArgumentException($"--judge-url is not an absolute URL: {settings.JudgeUrl}");
        if (settings.JudgeModel is null) throw new ArgumentException("--judge-model is required with --judge-url.");
        return JudgeSource.OpenAiCompatible(uri, settings.JudgeModel, Environment.GetEnvironmentVariable("RLPT_JUDGE_API_KEY"), judgeOptions);
    }

    private static JudgeFailurePolicy FailurePolicy(string policy) => policy switch
    {
        "score-zero" => JudgeFailurePolicy.ScoreZero,
        "fail" => JudgeFailurePolicy.Fail,
        _ => throw new ArgumentException($"--judge-on-failure must be score-zero or fail (got '{policy}')."),
    };
}
