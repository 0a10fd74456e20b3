using System.ComponentModel;
using Microsoft.Extensions.AI;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Rlpt.Serving;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class ChatSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder in Hugging Face layout.")] public string? Model { get; init; }
    [CommandOption("--system <TEXT>")] [Description("System message opening the conversation.")] public string? System { get; init; }
    [CommandOption("--temperature <T>")] [Description("0 = greedy. Default: 0.7.")] [DefaultValue(0.7)] public double Temperature { get; init; } = 0.7;
    [CommandOption("--max-tokens <N>")] [Description("Most tokens per answer. Default: 256 (less if the context is shorter).")] public int? MaxTokens { get; init; }
    [CommandOption("--seed <N>")] [Description("Seed of the first answer (later ones use seed + turn). Default: random.")] public int? Seed { get; init; }
}

/// <summary>
/// rlpt chat: a terminal conversation. Reads user lines from stdin (a terminal or a pipe), streams each answer,
/// keeps the history; /reset, /system TEXT and /exit; end of input exits.
/// </summary>
public sealed class ChatCommand : AsyncCommand<ChatSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ChatSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        if (settings.MaxTokens < 1) throw new ArgumentException("--max-tokens must be at least 1.");
        await using var local = LocalChatModel.Load(settings.Model, ComputeDevice.Configure(settings.Device, settings.Threads), new EngineOptions { MaxBatchSize = 1, QueueSize = 1 });
        var client = local.Client;
        var system = settings.System;
        var history = new List<ChatMessage>();
        bool interactive = !Console.IsInputRedirected;
        if (interactive) Console.Error.WriteLine("rlpt chat: /reset clears the history, /system TEXT sets the system message, /exit quits.");
        for (int turn = 0; ; turn++)
        {
            if (interactive) Console.Write("> ");
            var line = await Console.In.ReadLineAsync(Interrupt.Token);
            if (line is null || line.Trim() == "/exit") return 0;
            if (line.Trim() == "/reset")
            {
                history.Clear();
                Console.WriteLine("(history cleared)");
                continue;
            }
            if (line.StartsWith("/system", StringComparison.Ordinal))
            {
                system = line["/system".Length..].Trim() is { Length: > 0 } text ? text : null;
                Console.WriteLine(system is null ? "(system message removed)" : "(system message set)");
                continue;
            }
            if (line.StartsWith('/'))
            {
                Console.Error.WriteLine($"unknown command {line.Split(' ')[0]} (commands: /reset, /system TEXT, /exit)");
                continue;
            }
            history.Add(new ChatMessage(ChatRole.User, line));
            var messages = system is null ? history : [new ChatMessage(ChatRole.System, system), .. history];
            var options = new ChatOptions { Temperature = (float)settings.Temperature, MaxOutputTokens = settings.MaxTokens, Seed = settings.Seed + turn };
            try
            {
                var answer = new System.Text.StringBuilder();
                await foreach (var update in client.GetStreamingResponseAsync(messages, options, Interrupt.Token))
                {
                    Console.Write(update.Text);
                    answer.Append(update.Text);
                }
                Console.WriteLine();
                history.Add(new ChatMessage(ChatRole.Assistant, answer.ToString()));
            }
            catch (ContextLengthExceededException e)
            {
                // The conversation outgrew the model: keep the session, drop the turn that did not fit.
                history.RemoveAt(history.Count - 1);
                Console.Error.WriteLine($"rlpt: {e.Message} Use /reset to start over.");
            }
        }
    }
}
