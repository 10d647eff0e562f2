using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.AzureClients;
using Dental.Bench.Cost;
using Dental.Contracts.Api;
using Dental.Testing;
using Dental.Upload;
using Microsoft.Azure.Cosmos;

namespace Dental.Bench;

/// <summary>
/// Every request the platform sends to Blob Storage, the queues and Cosmos DB, counted by proxies in front of the emulators
/// (the four services run as processes and know only the proxies' addresses): for one image from upload to ready, for one
/// list page and for one preview served (an image counts as done once ready with its large rendition too), by operation, with an Azure list-price estimate per million. What the services do
/// on their own while nothing happens (queue polling, outbox sweeps) is measured first, over an idle minute, and taken out
/// of each figure in proportion to its duration.
/// </summary>
public static class CostBenchmark
{
    private const int Images = 40;
    private const int Concurrency = 4;
    private const int Reads = 20;
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var emulators = await TestEmulators.GetAsync();
        await using var blob = await CountingProxy.StartAsync(new Uri($"http://127.0.0.1:{emulators.BlobPort}"), StorageOperations.Blob);
        await using var queue = await CountingProxy.StartAsync(new Uri($"http://127.0.0.1:{emulators.QueuePort}"), StorageOperations.Queue);
        await using var cosmos = await CountingProxy.StartAsync(new Uri($"https://127.0.0.1:{emulators.CosmosPort}"), StorageOperations.Cosmos);
        CountingProxy[] proxies = [blob, queue, cosmos];
        var scope = new TestScope(
            TestEmulators.StorageConnectionStringFor(Port(blob), Port(queue)),
            TestEmulators.CosmosConnectionStringFor(Port(cosmos)));
        await scope.RegisterClinicsAsync();

        await using var platform = await Platform.StartAsync(scope);
        var patient = Guid.NewGuid().ToString();
        var pool = LoadGenerator.ImagePool();
        var uploads = 0;
        async Task UploadAsync(int count)
        {
            var first = uploads;
            uploads += count;
            var ids = new ConcurrentBag<Guid>();
            await Parallel.ForAsync(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
            {
                var (bytes, type, _) = pool[i % pool.Count];
                using var response = await platform.Client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", type, LoadGenerator.Unique(bytes, i, type)).Build(), ct);
                response.EnsureSuccessStatusCode();
                ids.Add((await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web, ct))!.Items.Single().Id);
            });
            await platform.WaitUntilReadyAsync(patient, ids);
        }

        // First requests create containers and queues and fill caches: not what an image costs.
        await UploadAsync(2);

        var idle = await MeasureAsync(proxies, () => Task.Delay(IdleWindow));
        var background = idle.Counts.ToDictionary(c => c.Key, c => c.Value / idle.Seconds);
        var image = await MeasureAsync(proxies, () => UploadAsync(Images));
        var images = await ListAsync(platform.Client, patient);
        var list = await MeasureAsync(proxies, async () =>
        {
            for (var i = 0; i < Reads; i++)
            {
                await platform.Client.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patient}/images?pageSize=100");
            }
        });
        var preview = await MeasureAsync(proxies, async () =>
        {
            for (var i = 0; i < Reads; i++)
            {
                var bytes = await platform.Client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{images[i % images.Count]}/previews/small");
                _ = bytes.Length > 0 ? bytes : throw new InvalidOperationException("An empty preview.");
            }
        });

        var figures = new List<Figure>();
        Console.WriteLine($"background, per minute while idle: {Describe(background.ToDictionary(b => b.Key, b => b.Value * 60))}");
        figures.AddRange(Report("one image, upload to ready", image.PerUnit(Images, background), Before.Image));
        figures.AddRange(Report("one list page (100)", list.PerUnit(Reads, background), Before.ListPage));
        figures.AddRange(Report("one small preview served", preview.PerUnit(Reads, background), Before.Preview));
        figures.Add(new Figure("idle background: requests per minute", background.Values.Sum() * 60, "/min"));
        figures.Add(new Figure("idle background: dollars per month", background.Sum(b => b.Value * AzurePrices.Dollars(b.Key.Meter)) * 3600 * 24 * 30, "$"));
        return figures;
    }

    /// <summary>What this benchmark counted on 2026-12-02 before the cuts of the Performance issue (aim: at least 40 % fewer per image).</summary>
    private static class Before
    {
        public const double Image = 40.8;
        public const double ListPage = 3.0;
        public const double Preview = 4.0;
    }

    private static IEnumerable<Figure> Report(string what, Dictionary<StorageOperation, double> perUnit, double before)
    {
        Console.WriteLine($"{what}: {Describe(perUnit)}");
        foreach (var store in new[] { "blob", "queue", "cosmos" })
        {
            yield return new Figure($"{what}: {store} requests", perUnit.Where(p => p.Key.Store == store).Sum(p => p.Value), "");
        }

        yield return new Figure($"{what}: requests", perUnit.Values.Sum(), "", "before the cuts, 2026-12-02", before);
        yield return new Figure($"{what}: Cosmos RU (estimated)", perUnit.Sum(p => p.Value * AzurePrices.RequestUnits(p.Key.Meter)), "RU");
        yield return new Figure($"{what}: $ per million (list prices)", perUnit.Sum(p => p.Value * AzurePrices.Dollars(p.Key.Meter)) * 1_000_000, "$");
    }

    private static string Describe(Dictionary<StorageOperation, double> counts) =>
        string.Join(", ", counts.Where(c => c.Value >= 0.005).OrderByDescending(c => c.Value).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:F2}")));

    private sealed record Window(Dictionary<StorageOperation, long> Counts, double Seconds)
    {
        /// <summary>Each operation's count per unit of work, less what the background would have sent in the same time.</summary>
        public Dictionary<StorageOperation, double> PerUnit(int units, Dictionary<StorageOperation, double> background) =>
            Counts.ToDictionary(c => c.Key, c => Math.Max(0, c.Value - (background.GetValueOrDefault(c.Key) * Seconds)) / units);
    }

    private static async Task<Window> MeasureAsync(CountingProxy[] proxies, Func<Task> work)
    {
        var before = proxies.SelectMany(p => p.Snapshot()).ToDictionary();
        var clock = Stopwatch.StartNew();
        await work();
        var seconds = clock.Elapsed.TotalSeconds;
        var after = proxies.SelectMany(p => p.Snapshot());
        return new Window(after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key)), seconds);
    }

    private static async Task<List<Guid>> ListAsync(HttpClient client, string patient) =>
        [.. (await client.GetFromJsonAsync<Dental.Catalog.Api.ImagePage>($"/api/v1/patients/{patient}/images?pageSize=100", JsonSerializerOptions.Web))!.Items.Select(i => i.Id)];

    private static int Port(CountingProxy proxy) => new Uri(proxy.Address).Port;

    /// <summary>The four services as processes on one scope, and a clinician's client of the gateway.</summary>
    private sealed class Platform(TestProcess[] processes, HttpClient client, Container images) : IAsyncDisposable
    {
        public HttpClient Client => client;

        public static async Task<Platform> StartAsync(TestScope scope)
        {
            var settings = scope.ServiceSettings();
            // The registry's production cache, not the tests' half second: how often it is read is part of the cost.
            settings.Remove("Clinics:CacheDuration");
            int catalogPort = FreePort.Next(), uploadPort = FreePort.Next(), gatewayPort = FreePort.Next();
            var catalog = await ServiceProcess.StartAsync("Catalog", catalogPort, settings);
            var upload = await ServiceProcess.StartAsync("Upload", uploadPort, new Dictionary<string, string?>(settings)
            {
                ["Upload:CatalogAddress"] = $"http://127.0.0.1:{catalogPort}",
            });
            var thumbnailer = await ServiceProcess.StartAsync("Thumbnailer", FreePort.Next(), settings);
            var gatewaySettings = new Dictionary<string, string?>(scope.GatewaySettings($"http://127.0.0.1:{uploadPort}", $"http://127.0.0.1:{catalogPort}"))
            {
                ["Auth:SigningKey"] = TestScope.SigningKey,
                ["Gateway:RequestsPerWindow"] = "1000000",
            };
            gatewaySettings.Remove("Clinics:CacheDuration");
            var gateway = await ServiceProcess.StartAsync("Gateway", gatewayPort, gatewaySettings);
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
            // Waiting is done on the emulator itself, past the proxies, so that it is not counted.
            var emulators = await TestEmulators.GetAsync();
            var images = CosmosExtensions.CreateClient(new CosmosOptions { ConnectionString = emulators.CosmosConnectionString, AcceptEmulatorCertificate = true })
                .GetContainer(scope.Database, "images");
            return new Platform([gateway, thumbnailer, upload, catalog], client, images);
        }

        /// <summary>Waits until every image is ready, reading the emulator itself (past the proxies, so that it is not counted).</summary>
        public Task<int> WaitUntilReadyAsync(string patient, ConcurrentBag<Guid> ids) => Eventually.ReturnsAsync(
            async () =>
            {
                var ready = 0;
                foreach (var id in ids)
                {
                    // 404 until the catalog has the image.
                    using var response = await images.ReadItemStreamAsync(id.ToString("D"), new PartitionKey($"{TestTokens.Clinic}/{patient}"));
                    var document = response.IsSuccessStatusCode ? await JsonDocument.ParseAsync(response.Content) : null;
                    // Ready, and its viewing rendition made too: everything the image causes falls inside its window.
                    ready += document?.RootElement is { } image && image.GetProperty("status").GetString() == "ready"
                        && image.GetProperty("previews").TryGetProperty("large", out _) ? 1 : 0;
                }

                return ready;
            },
            ready => ready == ids.Count, $"{ids.Count} images to be ready", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(200));

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            foreach (var process in processes)
            {
                process.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }
}
