using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Interop.Gguf;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class ExportSettings : CommonSettings
{
    [CommandOption("--model <DIR>")]
    [Description("Model folder in Hugging Face layout (e.g. OUT/model of a pretrain run).")]
    public string? Model { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("Output format: gguf (llama.cpp, Ollama, LM Studio). Default: gguf.")]
    [DefaultValue("gguf")]
    public string Format { get; init; } = "gguf";

    [CommandOption("--dtype <TYPE>")]
    [Description("Weight type: f32 or f16 (norms and biases stay f32). Default: f32.")]
    [DefaultValue("f32")]
    public string Dtype { get; init; } = "f32";

    [CommandOption("--name <NAME>")]
    [Description("general.name in the file. Default: the model folder's name.")]
    public string? Name { get; init; }
}

/// <summary>rlpt export: a model folder as one GGUF file (--out FILE.gguf) that llama.cpp runs as it is.</summary>
public sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        if (!string.Equals(settings.Format, "gguf", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--format '{settings.Format}' is not supported (gguf).");
        var type = GgufExporter.ParseFloatType(settings.Dtype);
        if (settings.Out is null) throw new ArgumentException("--out FILE.gguf is required.");
        if (Directory.Exists(settings.Out)) throw new ArgumentException($"--out {settings.Out} is a folder; give the .gguf file to write.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var (model, tokenizer) = ModelFolder.Load(settings.Model, device);
        var chatTemplate = ModelFolder.ReadInfo(settings.Model).ChatTemplate;
        using var _ = model;
        var name = settings.Name ?? new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Model))).Name;
        GgufExporter.Export(model, tokenizer, settings.Out, type, name, chatTemplate);
        Console.WriteLine($"done: {settings.Out} ({new FileInfo(settings.Out).Length / 1e6:F1} MB, {model.Config.ModelType}, {type})");
        return 0;
    }
}
