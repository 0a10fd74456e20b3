using System.Threading.Channels;
using Rlpt.Generation;

namespace Rlpt.Serving;

/// <summary>One submitted row: its text as it is generated, then its finished result.</summary>
public sealed class GenerationStream
{
    private readonly Channel<string> deltas = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
    // Continuations run off the engine thread, so a slow consumer never stalls decoding.
    private readonly TaskCompletionSource<GenerationResult> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TextDeltaDecoder decoder;

    internal GenerationStream(GenerationRequest request, TextDeltaDecoder decoder)
    {
        Request = request;
        this.decoder = decoder;
    }

    internal GenerationRequest Request { get; }

    /// <summary>Text deltas; concatenated they equal <see cref="GenerationResult.Text"/>. Completes when the row does.</summary>
    public ChannelReader<string> Deltas => deltas.Reader;

    /// <summary>The finished row (token ids, log-probs, text, finish reason); faults if its batch failed.</summary>
    public Task<GenerationResult> Result => result.Task;

    public int PromptTokens => Request.PromptIds.Count;

    internal void Push(int token)
    {
        var delta = decoder.Push(token);
        if (delta.Length > 0) deltas.Writer.TryWrite(delta);
    }

    internal void Complete(GenerationResult finished)
    {
        var rest = decoder.Finish(finished.Text);
        if (rest.Length > 0) deltas.Writer.TryWrite(rest);
        deltas.Writer.TryComplete();
        result.TrySetResult(finished);
    }

    internal void Fail(Exception error)
    {
        deltas.Writer.TryComplete(error);
        result.TrySetException(error);
    }
}
