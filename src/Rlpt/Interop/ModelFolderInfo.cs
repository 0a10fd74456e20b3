using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;

namespace Rlpt.Interop;

/// <summary>
/// What a Hugging Face model folder says about chatting with the model and decoding from it:
/// tokenizer_config.json (chat template, special tokens) and generation_config.json.
/// </summary>
/// <param name="ChatTemplate">The folder's template, or <see cref="ChatTemplate.RlptDefault"/> when it has none.</param>
/// <param name="HasOwnChatTemplate">False when <paramref name="ChatTemplate"/> is the fallback.</param>
public sealed record ModelFolderInfo(
    ChatTemplate ChatTemplate, bool HasOwnChatTemplate, string? BosToken, string? EosToken, string? PadToken, GenerationDefaults Generation)
{
    /// <summary>
    /// Renders a conversation with the folder's template, giving it bos_token, eos_token and pad_token as
    /// transformers does (tokens the folder does not set stay undefined); <paramref name="variables"/> adds or overrides
    /// template variables.
    /// </summary>
    public string RenderChat(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (name, token) in new[] { ("bos_token", BosToken), ("eos_token", EosToken), ("pad_token", PadToken) })
            if (token is not null) all[name] = token;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>()) all[name] = value;
        return ChatTemplate.Render(messages, addGenerationPrompt, all);
    }
}
