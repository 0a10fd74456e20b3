using Rlpt.Cli.Commands;
using Rlpt.Cli.Commands.Bench;
using Rlpt.Cli.Commands.Corpus;
using Rlpt.Cli.Commands.Icrl;
using Rlpt.Cli.Commands.Offline;
using Rlpt.Cli.Infrastructure;
using Spectre.Console.Cli;

Interrupt.Install();
ErrorReporting.Verbose = args.Contains("--verbose") || args.Contains("-v");

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("rlpt");
    // The informational version without the source-revision suffix the SDK appends ("0.3.0+abc123").
    config.SetApplicationVersion(typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown");
    config.PropagateExceptions();
    // A mistyped flag is an error, not silently ignored (it would leave a default in place unnoticed).
    config.UseStrictParsing();
    config.AddCommand<DemoCommand>("demo").WithDescription("End to end on the Brown Corpus: tokenizer, pretraining, samples, report.")
        .WithExample("demo").WithExample("demo", "--quick");
    config.AddBranch("tokenizer", tokenizer =>
    {
        tokenizer.SetDescription("Byte-level BPE tokenizers (Hugging Face tokenizer.json).");
        tokenizer.AddCommand<TokenizerTrainCommand>("train").WithDescription("Train a byte-level BPE tokenizer on text files.")
            .WithExample("tokenizer", "train", "--text", "docs/", "--vocab-size", "4096", "--out", "runs/tok");
    });
    config.AddBranch("corpus", corpus =>
    {
        corpus.SetDescription("Datasets: import raw documents, inspect what was built.");
        corpus.AddCommand<CorpusImportCommand>("import").WithDescription("Read, clean, segment, split, decontaminate and tokenize documents into a dataset.")
            .WithExample("corpus", "import", "docs/", "--out", "runs/data").WithExample("corpus", "import", "--brown", "--arithmetic", "5000", "--out", "runs/data");
        corpus.AddCommand<CorpusStatsCommand>("stats").WithDescription("Documents, segments and tokens per source; length histograms (PNG).")
            .WithExample("corpus", "stats", "--data", "runs/data");
    });
    config.AddCommand<PretrainCommand>("pretrain").WithDescription("Next-token pretraining with checkpoints and exact --resume.")
        .WithExample("pretrain", "--data", "runs/demo/data", "--preset", "small", "--out", "runs/p")
        .WithExample("pretrain", "--init-from", "runs/p/model", "--data", "runs/demo/data", "--max-seconds", "300", "--out", "runs/cpt");
    config.AddCommand<SftCommand>("sft").WithDescription("Completion-only SFT: RLPT's cold start on a dataset, or chat JSON Lines.")
        .WithExample("sft", "--model", "runs/p/model", "--data", "runs/demo/data", "--out", "runs/sft")
        .WithExample("sft", "--task", "pretrainzero", "--model", "runs/p/model", "--data", "runs/demo/data", "--out", "runs/pz-sft");
    config.AddCommand<TrainCommand>("train").WithDescription("GRPO on an RL objective: rlpt (next-segment reasoning, default), rlp, empo, rlvr, pretrainzero.")
        .WithExample("train", "--model", "runs/demo/sft/model", "--data", "runs/demo/data", "--reward", "prefix_dense=1", "--out", "runs/rl")
        .WithExample("train", "--objective", "rlp", "--model", "runs/demo/pretrain/model", "--data", "runs/demo/data", "--advantage-estimator", "rloo", "--out", "runs/rlp")
        .WithExample("train", "--objective", "empo", "--source", "arithmetic", "--model", "runs/demo/sft/model", "--data", "runs/demo/data", "--out", "runs/empo")
        .WithExample("train", "--objective", "pretrainzero", "--model", "runs/pz-sft/model", "--data", "runs/demo/data", "--out", "runs/pz")
        .WithExample("train", "--model", "runs/demo/sft/model", "--data", "runs/demo/data", "--rollout-engine", "openai", "--rollout-url", "http://127.0.0.1:8001/v1", "--rollout-url", "http://127.0.0.1:8002/v1", "--weight-sync-dir", "runs/sync/rl", "--out", "runs/remote");
    config.AddCommand<DpoCommand>("dpo").WithDescription("Direct preference optimisation (DPO or IPO) on pairs from a file or sampled on-policy from an objective's reward.")
        .WithExample("dpo", "--model", "runs/demo/sft/model", "--pairs", "prefs.jsonl", "--beta", "0.1", "--out", "runs/dpo")
        .WithExample("dpo", "--model", "runs/demo/sft/model", "--objective", "rlpt", "--data", "runs/demo/data", "--pair-prompts", "128", "--out", "runs/dpo");
    config.AddCommand<EvalCommand>("eval").WithDescription("Each objective's held-out evaluation, perplexity and arithmetic accuracy, with bootstrap CIs.")
        .WithExample("eval", "--model", "cold=runs/demo/sft/model", "--model", "rl=runs/rl/model", "--data", "runs/demo/data", "--samples", "4", "--out", "runs/eval")
        .WithExample("eval", "--model", "runs/rlp/model", "--data", "runs/demo/data", "--objective", "rlp", "--out", "runs/eval-rlp");
    config.AddCommand<GenerateCommand>("generate").WithDescription("Batched sampling from a model folder.")
        .WithExample("generate", "--model", "runs/demo/pretrain/model", "-p", "The jury said", "-n", "4", "--temperature", "0.8");
    config.AddCommand<ServeCommand>("serve").WithDescription("OpenAI-compatible HTTP server (chat completions, completions, streaming, continuous batching) over a model; an RL rollout engine with weight updates.")
        .WithExample("serve", "--model", "runs/demo/sft/model", "--port", "8000")
        .WithExample("serve", "--model", "runs/demo/sft/model", "--port", "8001", "--weights-root", "runs/sync", "--max-batch-size", "64");
    config.AddCommand<DashboardCommand>("dashboard").WithDescription("A live web page of the runs under a folder: metric curves, completions, evaluations with CIs, plots, configs.")
        .WithExample("dashboard").WithExample("dashboard", "--runs", "runs/demo", "--port", "6070");
    config.AddCommand<ChatCommand>("chat").WithDescription("Interactive terminal chat with a model (stdin may be piped).")
        .WithExample("chat", "--model", "runs/demo/sft/model", "--temperature", "0.7");
    config.AddCommand<ExportCommand>("export").WithDescription("Export a model folder to another format: GGUF for llama.cpp (--out FILE.gguf).")
        .WithExample("export", "--model", "runs/demo/pretrain/model", "--format", "gguf", "--dtype", "f16", "--out", "model.gguf");
    config.AddBranch("icrl", icrl =>
    {
        icrl.SetDescription("In-context RL (decision-making pillar): Dark Room and bandits; DPT, AD, LHF.");
        icrl.AddCommand<IcrlDemoCommand>("demo").WithDescription("DPT on Dark Room end to end in under 10 minutes: data, pretraining, offline and online evaluation, report.")
            .WithExample("icrl", "demo").WithExample("icrl", "demo", "--quick", "--json", "icrl.json");
        icrl.AddCommand<IcrlDataCommand>("data").WithDescription("DPT pretraining contexts for a task family (train and held-out tasks).")
            .WithExample("icrl", "data", "--env", "darkroom", "--contexts", "20000", "--out", "runs/icrl/data")
            .WithExample("icrl", "data", "--method", "ad", "--size", "9", "--horizon", "20", "--start", "center", "--action-noise", "0.3", "--out", "runs/icrl/histories");
        icrl.AddCommand<IcrlTrainCommand>("train").WithDescription("Pretrain an in-context learner (DPT) with checkpoints and exact --resume.")
            .WithExample("icrl", "train", "--data", "runs/icrl/data", "--max-steps", "2000", "--out", "runs/icrl/dpt")
            .WithExample("icrl", "train", "--method", "ad", "--data", "runs/icrl/histories", "--history-filter", "lhf", "--out", "runs/icrl/ad-lhf");
        icrl.AddCommand<IcrlEvalCommand>("eval").WithDescription("Offline and online in-context evaluation on held-out tasks, with baselines, plots and a report.")
            .WithExample("icrl", "eval", "--model", "runs/icrl/dpt/model", "--out", "runs/icrl/eval");
    });
    config.AddBranch("offline", offline =>
    {
        offline.SetDescription("Offline and offline-to-online RL (decision-making pillar): classic-control tasks, episode datasets, BC / DQN / CQL / IQL / TD3+BC / Cal-QL / SAC, trajectory weighting, WSRL.");
        offline.AddCommand<OfflineCollectCommand>("collect").WithDescription("Train a behaviour policy online (double DQN, or SAC on Pendulum), then write the random, expert, mixed, noisy and replay datasets.")
            .WithExample("offline", "collect", "--env", "CartPole-v1", "--out", "runs/offline/cartpole");
        offline.AddCommand<OfflineStatsCommand>("stats").WithDescription("Trajectory quality (TQ), state-action coverage (SACo) and return histograms of datasets.")
            .WithExample("offline", "stats", "runs/offline/cartpole");
        offline.AddCommand<OfflineTrainCommand>("train").WithDescription("Train an offline algorithm on a dataset (checkpoints, exact --resume, environment evaluation).")
            .WithExample("offline", "train", "--data", "runs/offline/cartpole/mixed.parquet", "--algorithm", "cql", "--out", "runs/offline/cql-mixed")
            .WithExample("offline", "train", "--data", "runs/offline/cartpole/mixed.parquet", "--algorithm", "bc", "--weighting", "aw");
        offline.AddCommand<OfflineRelabelCommand>("relabel").WithDescription("SS-ORL: hide most trajectories' actions and proxy-label them with an inverse dynamics model trained on the rest.")
            .WithExample("offline", "relabel", "--data", "runs/offline/pendulum/replay.parquet", "--labelled-share", "0.1", "--out", "runs/offline/ssorl");
        offline.AddCommand<OfflineFinetuneCommand>("finetune").WithDescription("Offline-to-online fine-tuning: WSRL (warm-up, online data only) or with the offline data retained; before → after and regret.")
            .WithExample("offline", "finetune", "--model", "runs/offline/calql/model", "--data", "runs/offline/pendulum/replay.parquet", "--mode", "wsrl");
        offline.AddCommand<OfflineEvalCommand>("eval").WithDescription("A policy's return over many episodes, with a bootstrap CI and normalised score.")
            .WithExample("offline", "eval", "--model", "runs/offline/cql-mixed/model", "--reference", "runs/offline/cartpole/random.parquet");
    });
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks (figures for BENCHMARKS.md; --json FILE for machines).");
        bench.AddCommand<BenchTrainCommand>("train").WithDescription("Training tokens/s, model GFLOPS vs the GEMM ceiling, memory.")
            .WithExample("bench", "train", "--json", "train.json");
        bench.AddCommand<BenchGenerateCommand>("generate").WithDescription("Batched generation tokens/s.")
            .WithExample("bench", "generate", "--json", "generate.json");
        bench.AddCommand<BenchServeCommand>("serve").WithDescription("OpenAI server requests/s, tokens/s and latency under concurrent clients.")
            .WithExample("bench", "serve", "--model", "runs/p/model", "--clients", "1,8,32");
        bench.AddCommand<BenchGemmCommand>("gemm").WithDescription("fp32 2048³ matmul GFLOPS after warm-up.")
            .WithExample("bench", "gemm");
        bench.AddCommand<BenchTokenizerCommand>("tokenizer").WithDescription("Tokenizer encode MB/s.")
            .WithExample("bench", "tokenizer", "--json", "tokenizer.json");
        bench.AddCommand<BenchRlCommand>("rl").WithDescription("GRPO step time, shared-prefix vs unshared, split, rollout tokens/s and peak memory in the demo's configuration.")
            .WithExample("bench", "rl", "--steps", "5", "--json", "rl.json")
            .WithExample("bench", "rl", "--rollout-url", "http://127.0.0.1:8001/v1", "--weight-sync-dir", "runs/sync/bench");
        bench.AddCommand<BenchGgufCommand>("gguf").WithDescription("Greedy generation tokens/s of Rlpt and of llama.cpp on the model's GGUF export.")
            .WithExample("bench", "gguf", "--model", "runs/p/model", "--batch-sizes", "1,8");
        bench.AddCommand<BenchIcrlCommand>("icrl").WithDescription("DPT and AD training samples/s and in-context acting steps/s in their default shapes.")
            .WithExample("bench", "icrl", "--steps", "20", "--json", "icrl.json");
        bench.AddCommand<BenchOfflineCommand>("offline").WithDescription("Updates/s of every offline algorithm in its default shape, and the classic-control tasks' steps/s.")
            .WithExample("bench", "offline", "--steps", "50", "--json", "offline.json");
        bench.AddCommand<BenchImportCommand>("import").WithDescription("Corpus import MB/s and peak memory (Brown, optionally a generated corpus).")
            .WithExample("bench", "import", "--json", "import.json");
    });
});

try
{
    return app.Run(args);
}
catch (Exception e)
{
    return ErrorReporting.Report(e);
}
