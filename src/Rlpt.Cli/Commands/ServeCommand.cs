using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Rlpt.Serving;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class ServeSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder in Hugging Face layout.")] public string? Model { get; init; }
    [CommandOption("--host <ADDRESS>")] [Description("IP address to bind; another than loopback needs --api-key or --allow-unauthenticated. Default: 127.0.0.1.")] [DefaultValue("127.0.0.1")] public string Host { get; init; } = "127.0.0.1";
    [CommandOption("--api-key <KEY>")] [Description("Require Authorization: Bearer KEY on /v1 requests (as vLLM's --api-key). Default: $RLPT_API_KEY, else none.")] public string? ApiKey { get; init; }
    [CommandOption("--allow-unauthenticated")] [Description("Serve a non-loopback address without an API key.")] public bool AllowUnauthenticated { get; init; }
    [CommandOption("--max-concurrent-requests <N>")] [Description("Completion requests served at once; more get 429. Default: 64.")] [DefaultValue(64)] public int MaxConcurrentRequests { get; init; } = 64;
    [CommandOption("--port <N>")] [Description("Default: 8000.")] [DefaultValue(8000)] public int Port { get; init; } = 8000;
    [CommandOption("--model-name <NAME>")] [Description("Model id clients pass as \"model\". Default: the --model argument.")] public string? ModelName { get; init; }
    [CommandOption("--max-batch-size <N>")] [Description("Rows decoded together. Default: 32.")] [DefaultValue(32)] public int MaxBatchSize { get; init; } = 32;
    [CommandOption("--scheduler <NAME>")] [Description("continuous: waiting requests join the running batch at the next decoding step; static: a batch runs to its end before the next forms. Default: continuous.")] [DefaultValue("continuous")] public string Scheduler { get; init; } = "continuous";
    [CommandOption("--weights-root <DIR>")] [Description("Allow POST /update_weights_from_disk (SGLang's) to load model folders under DIR; symbolic links and .. may not leave it. Default: updates off.")] public string? WeightsRoot { get; init; }
    [CommandOption("--queue-size <N>")] [Description("Rows waiting for a batch before requests get 429. Default: 256.")] [DefaultValue(256)] public int QueueSize { get; init; } = 256;
}

/// <summary>rlpt serve: an OpenAI-compatible HTTP server over a model folder until Ctrl-C or SIGTERM.</summary>
public sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var engineOptions = new EngineOptions { MaxBatchSize = settings.MaxBatchSize, QueueSize = settings.QueueSize, Scheduler = settings.Scheduler };
        var serverOptions = new ServerOptions
        {
            Host = settings.Host, Port = settings.Port, ModelName = settings.ModelName ?? settings.Model,
            ApiKey = settings.ApiKey ?? Rlpt.Interop.OpenAi.ApiKey.FromEnvironment(),
            AllowUnauthenticated = settings.AllowUnauthenticated, MaxConcurrentRequests = settings.MaxConcurrentRequests, WeightsRoot = settings.WeightsRoot,
        };
        engineOptions.Validate();
        serverOptions.Validate();
        // Disposed last: the server drains its requests first, then the engine its rows.
        await using var local = LocalChatModel.Load(settings.Model, ComputeDevice.Configure(settings.Device, settings.Threads), engineOptions);
        await using var server = new OpenAiServer(local.Engine, serverOptions);
        await server.StartAsync(Interrupt.Token);
        Console.WriteLine($"serving {serverOptions.ModelName} at {server.BaseAddress} (OpenAI API{(serverOptions.ApiKey is null ? "" : ", API key required")}; Ctrl-C stops after in-flight requests)");
        await server.RunUntilStoppedAsync(Interrupt.Token);
        Console.Error.WriteLine("rlpt: server stopped.");
        return 0;
    }
}
