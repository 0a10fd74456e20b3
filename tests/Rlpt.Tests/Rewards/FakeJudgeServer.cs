using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Rlpt.Tests.Rewards;

/// <summary>
/// Just enough of an OpenAI chat-completions server on 127.0.0.1 (random free port): every POST gets the reply
/// <paramref name="reply"/> computes from the user message, after an optional delay. Counts requests and the most
/// in flight at once.
/// </summary>
internal sealed class FakeJudgeServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<string, string> _reply;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    public FakeJudgeServer(Func<string, string> reply, TimeSpan delay = default)
    {
        _reply = reply;
        _delay = delay;
        _listener = StartOnFreePort(out var port);
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri Endpoint { get; }
    public int Requests => Volatile.Read(ref _requests);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    private static HttpListener StartOnFreePort(out int port)
    {
        // Ask the OS for a free port, then claim it; retry a few times in case another process takes it in between.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            using var request = JsonDocument.Parse(await reader.ReadToEndAsync());
            var prompt = request.RootElement.GetProperty("messages")[0].GetProperty("content").ToString();
            if (_delay > TimeSpan.Zero) await Task.Delay(_delay, _stop.Token);
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = "chatcmpl-test",
                @object = "chat.completion",
                created = 1_700_000_000,
                model = "fake-judge",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = _reply(prompt) }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
            });
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, _stop.Token);
            context.Response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (HttpListenerException) { } // the client gave up (timed out) and closed the connection
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
