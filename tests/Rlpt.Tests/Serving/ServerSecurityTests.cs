using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Rlpt.Serving;
using Rlpt.Tests.Cli;

namespace Rlpt.Tests.Serving;

/// <summary>vLLM-style API keys, refusing to serve the network unauthenticated, and the request limits.</summary>
public sealed class ServerSecurityTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private static StringContent Completion(int maxTokens, int n = 1) =>
        new($$"""{"model":"{{ServingFixture.ModelName}}","prompt":"Ada reads","max_tokens":{{maxTokens}},"n":{{n}},"temperature":0}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task WithAnApiKeyOnlyRequestsBearingItAreServed()
    {
        await using var server = await fixture.StartAsync(serverOptions: new ServerOptions { ApiKey = "s3cret-key" });
        async Task<HttpStatusCode> Status(string? authorization, string path = "models")
        {
            using var request = new HttpRequestMessage(path == "models" ? HttpMethod.Get : HttpMethod.Post, path);
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            if (path != "models") request.Content = Completion(2);
            using var response = await server.Http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Contains("invalid_api_key", await response.Content.ReadAsStringAsync());
            }
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status("Bearer wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status("Bearer s3cret-ke"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status("s3cret-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status("Basic s3cret-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(null, "completions"));
        Assert.Equal(HttpStatusCode.OK, await Status("Bearer s3cret-key"));
        Assert.Equal(HttpStatusCode.OK, await Status("Bearer s3cret-key", "completions"));
    }

    [Fact]
    public void ANonLoopbackAddressNeedsAKeyOrAnExplicitOptOut()
    {
        Assert.Contains("without authentication", Assert.Throws<ArgumentException>(() => new ServerOptions { Host = "0.0.0.0" }.Validate()).Message);
        Assert.Contains("without authentication", Assert.Throws<ArgumentException>(() => new ServerOptions { Host = "10.1.2.3" }.Validate()).Message);
        new ServerOptions { Host = "0.0.0.0", ApiKey = "k" }.Validate();
        new ServerOptions { Host = "0.0.0.0", AllowUnauthenticated = true }.Validate();
        new ServerOptions { Host = "127.0.0.1" }.Validate();
        new ServerOptions { Host = "::1" }.Validate();
        new ServerOptions { Host = "localhost" }.Validate();
        Assert.Throws<ArgumentException>(() => new ServerOptions { ApiKey = "" }.Validate());
        // The CLI refuses before loading any model.
        using var dir = new TestDirectory();
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "serve", "--model", "nowhere", "--host", "0.0.0.0"), "refusing to serve on 0.0.0.0 without authentication");
    }

    [Fact]
    public async Task OversizedBodiesAndGenerationBudgetsAreRefusedWithTheirStatus()
    {
        await using var server = await fixture.StartAsync(serverOptions: new ServerOptions { MaxRequestBodyBytes = 4096, MaxGeneratedTokensPerRequest = 64 });
        using var big = new StringContent("{\"prompt\": \"" + new string('a', 10_000) + "\"}", Encoding.UTF8, "application/json");
        using (var response = await server.Http.PostAsync("completions", big))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("request_too_large", await response.Content.ReadAsStringAsync());
        }
        using (var response = await server.Http.PostAsync("completions", Completion(maxTokens: 16, n: 8)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("the limit is 64", await response.Content.ReadAsStringAsync());
        }
        using (var response = await server.Http.PostAsync("completions", Completion(maxTokens: 8, n: 8)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // JSON nested past System.Text.Json's depth limit is a 400, not a crash.
        using var deep = new StringContent(new string('[', 10_00) + new string(']', 10_00), Encoding.UTF8, "application/json");
        using (var response = await server.Http.PostAsync("completions", deep))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ASlowClientIsCutOffAndOthersAreStillServed()
    {
        await using var server = await fixture.StartAsync(serverOptions: new ServerOptions { HeadersTimeout = TimeSpan.FromSeconds(1) });
        var address = new Uri(server.Server.BaseAddress.ToString());
        using var slow = new TcpClient();
        await slow.ConnectAsync(address.Host, address.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/completions HTTP/1.1\r\nHost: x\r\n")); // and then nothing more
        using (var response = await server.Http.PostAsync("completions", Completion(4)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Kestrel closes the connection once the headers timeout passes (checked about once a second).
        var buffer = new byte[1024];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        try { while ((read = await stream.ReadAsync(buffer, wait.Token)) > 0) { } }
        catch (IOException) { read = 0; }
        Assert.Equal(0, read);
        Assert.False(wait.IsCancellationRequested, "the slow client was still connected after 10 s");
    }
}
