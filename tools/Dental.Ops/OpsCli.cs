using System.CommandLine;
using System.Text.Json;
using Dental.Clinics;
using Dental.Contracts;
using Spectre.Console;

namespace Dental.Ops;

/// <summary>dental-ops: backup, restore, import-legacy, verify and repair, with the services' configuration.</summary>
public static class OpsCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Operations for the dental image platform (configuration: the services' Storage, Cosmos and Messaging settings).");
        root.Subcommands.Add(Backup());
        root.Subcommands.Add(Restore());
        root.Subcommands.Add(ImportLegacy());
        root.Subcommands.Add(Verify());
        root.Subcommands.Add(Repair());
        root.Subcommands.Add(DeadLetters());
        root.Subcommands.Add(ClinicsCommand());
        return root;
    }

    private static readonly string[] DeadLetterColumns = ["subscription", "id", "type", "reason", "deliveries", "dead-lettered"];

    private static Command DeadLetters()
    {
        var payload = new Option<bool>("--payload") { Description = "Also print each event's body (it may hold personal data)." };
        var max = new Option<int>("--max") { Description = "At most this many per subscription.", DefaultValueFactory = _ => 32 };
        var command = new Command("dead-letters", "List the dead-lettered events of every subscription: id, type, reason, deliveries, when.") { payload, max };
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var withPayload = result.GetValue(payload);
            var rows = await new DeadLettersCommand(ops).ListAsync(withPayload, result.GetValue(max), ct);
            string[] columns = withPayload ? [.. DeadLetterColumns, "payload"] : DeadLetterColumns;
            Print(rows.Select(r => new[] { r.Subscription, r.MessageId, r.EventType ?? "(not a CloudEvent)", r.Reason, r.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.DeadLetteredAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "" }.Concat(r.Payload is null ? [] : [r.Payload]).ToArray()), columns);
            return 0;
        });
        command.Subcommands.Add(DeadLetterAction("resubmit", "Send dead letters through their subscription again (after the cause is fixed); each is removed once sent.", (c, s, id, ct) => c.ResubmitAsync(s, id, ct)));
        command.Subcommands.Add(DeadLetterAction("purge", "Remove dead letters for good.", (c, s, id, ct) => c.PurgeAsync(s, id, ct)));
        return command;
    }

    private static Command DeadLetterAction(string name, string description, Func<DeadLettersCommand, string?, string?, CancellationToken, Task<IReadOnlyDictionary<string, int>>> act)
    {
        var subscription = new Option<string>("--subscription") { Description = "Only this subscription (topic/subscription, as listed); every one when omitted." };
        var id = new Option<string>("--id") { Description = "The one dead letter to act on: its message id or its event id." };
        var all = new Option<bool>("--all") { Description = "Act on every dead letter (of --subscription, or of all)." };
        var command = new Command(name, description) { subscription, id, all };
        command.Validators.Add(result =>
        {
            if (result.GetValue(id) is null == !result.GetValue(all))
            {
                result.AddError("Give either --id or --all.");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var counts = await act(new DeadLettersCommand(ops), result.GetValue(subscription), result.GetValue(id), ct);
            Print(counts.Select(c => new[] { c.Key, c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ["subscription", name == "purge" ? "purged" : "resubmitted"]);
            return 0;
        });
        return command;
    }

    private static Command ClinicsCommand()
    {
        var command = new Command("clinics", "The clinics the platform serves: list, add, suspend, reactivate (a suspended clinic's tokens get 403 within the registry's cache time), offboard, receipt.");
        var list = new Command("list", "Every registered clinic with its status.");
        list.SetAction(async (_, ct) =>
        {
            await using var ops = OpsServices.Create();
            Print((await ops.Clinics.ListAsync(ct)).Select(c => new[] { c.Id, c.Label ?? "", c.Status.ToString().ToLowerInvariant(), c.ChangedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture) }),
                ["clinic", "label", "status", "since"]);
            return 0;
        });
        var id = new Argument<string>("clinic") { Description = "The clinic's opaque id, as its tokens name it (for Entra ID tenants: the tenant id)." };
        var label = new Option<string>("--label") { Description = "An operator's label for the clinic (no personal data)." };
        var add = new Command("add", "Register a clinic: its tokens are served from now on.") { id, label };
        add.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var added = await ops.Clinics.RegisterAsync(result.GetValue(id)!, result.GetValue(label), ct);
            AnsiConsole.MarkupLine(added ? "[green]registered[/]" : "[yellow]already registered[/] (its status is unchanged)");
            return 0;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(StatusCommand("suspend", "Refuse a clinic's tokens until it is reactivated; its data stays.", ClinicStatus.Suspended));
        command.Subcommands.Add(StatusCommand("reactivate", "Serve a suspended clinic again.", ClinicStatus.Active));
        foreach (var offboarding in OffboardingCommands())
        {
            command.Subcommands.Add(offboarding);
        }

        return command;
    }

    private static Command[] OffboardingCommands()
    {
        var id = new Argument<string>("clinic") { Description = "The clinic's id." };
        var by = new Option<string>("--by") { Description = "Who asks (an operator's id, kept on the receipt).", DefaultValueFactory = _ => $"operator:{Environment.UserName}" };
        var offboard = new Command("offboard", "Close a clinic for good and erase all its data in every service (one receipt). Run again to resume.") { id, by };
        offboard.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            if (await new OffboardCommand(ops, TimeProvider.System).RunAsync(result.GetValue(id)!, result.GetValue(by)!, ct) is not { } record)
            {
                AnsiConsole.MarkupLine("[red]No such clinic is registered.[/]");
                return 1;
            }

            Print(record);
            AnsiConsole.MarkupLine(record.Completed ? "[green]erased[/]" : "[yellow]closed; the services are erasing[/] (follow with: dental-ops clinics receipt ID)");
            return 0;
        });
        var receipt = new Command("receipt", "Show a clinic's offboarding receipt: what each service removed, and when it completed.") { id };
        receipt.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            if (await new OffboardCommand(ops, TimeProvider.System).ReceiptAsync(result.GetValue(id)!, ct) is not { } record)
            {
                AnsiConsole.MarkupLine("[red]This clinic was not offboarded.[/]");
                return 1;
            }

            Print(record);
            return 0;
        });
        return [offboard, receipt];
    }

    private static Command StatusCommand(string name, string description, ClinicStatus status)
    {
        var id = new Argument<string>("clinic") { Description = "The clinic's id." };
        var command = new Command(name, description) { id };
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            if (await ops.Clinics.SetStatusAsync(result.GetValue(id)!, status, ct) is null)
            {
                AnsiConsole.MarkupLine("[red]No such clinic is registered.[/]");
                return 1;
            }

            AnsiConsole.MarkupLine($"[green]{status.ToString().ToLowerInvariant()}[/]");
            return 0;
        });
        return command;
    }

    private static Command Backup()
    {
        var output = new Option<string>("--out") { Description = "The zip to write.", Required = true };
        var patient = new Option<string[]>("--patient") { Description = "Patient(s) as clinicId/patientId; all patients of all clinics when omitted." };
        var previews = new Option<bool>("--previews") { Description = "Include previews (they can be rendered again)." };
        var command = new Command("backup", "Write originals and catalog documents (and optionally previews) to a zip with a SHA-256 manifest.") { output, patient, previews };
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var manifest = await WithProgressAsync("Backing up", p => new BackupCommand(ops).RunAsync(result.GetValue(output)!, result.GetValue(patient)?.Select(PatientKey.Parse).ToList(), result.GetValue(previews), p, ct));
            AnsiConsole.MarkupLine($"[green]{manifest.Counts.Originals}[/] originals, [green]{manifest.Counts.Previews}[/] previews, [green]{manifest.Counts.Documents}[/] documents of {manifest.Patients.Count} patient(s).");
            return 0;
        });
        return command;
    }

    private static Command Restore()
    {
        var input = new Argument<string>("backup") { Description = "The zip written by backup." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would change." };
        var clinic = new Option<string?>("--clinic") { Description = "For a backup written before clinics (schema 3): the clinic its patients belong to. It is upgraded to a schema-4 backup beside it, which is then restored." };
        var command = new Command("restore", "Verify a backup and restore it (what it overwrites is saved first).") { input, dryRun, clinic };
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var backup = result.GetValue(input)!;
            if (result.GetValue(clinic) is { } owner)
            {
                backup = await LegacyBackup.UpgradeAsync(backup, owner, ct);
                AnsiConsole.MarkupLine($"Upgraded to [green]{Markup.Escape(backup)}[/] (clinic {Markup.Escape(owner)}).");
            }

            var report = await WithProgressAsync("Restoring", p => new RestoreCommand(ops).RunAsync(backup, result.GetValue(dryRun), p, ct));
            Print(report);
            return 0;
        });
        return command;
    }

    private static Command ImportLegacy()
    {
        var folder = new Argument<string>("folder") { Description = "dental_images/{patient}/{tooth}/{type}/{file}, or a flat folder with --mapping." };
        var mapping = new Option<string?>("--mapping") { Description = "CSV (file,patient,tooth,type[,notation[,takenAt]]) or JSON array with the same fields." };
        var url = new Option<string>("--url") { Description = "The gateway (or Upload service) address.", DefaultValueFactory = _ => "http://127.0.0.1:5100" };
        var token = new Option<string?>("--token") { Description = "Bearer token with the service or admin role (default: DENTAL_TOKEN)." };
        var journal = new Option<string?>("--journal") { Description = "Progress journal (default: <folder name>.import-journal.jsonl here)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be imported." };
        var command = new Command("import-legacy", "Import an old folder layout through the Upload API; resumable, never touches the source.") { folder, mapping, url, token, journal, dryRun };
        command.SetAction(async (result, ct) =>
        {
            var source = result.GetValue(folder)!;
            var bearer = result.GetValue(token) ?? Environment.GetEnvironmentVariable("DENTAL_TOKEN") ?? "";
            using var api = Dental.Client.DentalApi.Connect(new Uri(result.GetValue(url)!), _ => Task.FromResult(bearer));
            var journalPath = result.GetValue(journal) ?? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(source))}.import-journal.jsonl";
            var items = await WithProgressAsync("Importing", p => new ImportLegacyCommand(api).RunAsync(source, result.GetValue(mapping), journalPath, result.GetValue(dryRun), p, ct));
            Print(items.Select(i => new[] { i.File, i.Outcome, i.Reason ?? i.ImageId?.ToString() ?? "" }), "file", "outcome", "image or reason");
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Check every catalogued original (exists, SHA-256), previews of ready images, and orphan originals.");
        command.SetAction(async (_, ct) =>
        {
            await using var ops = OpsServices.Create();
            var report = await WithProgressAsync("Verifying", p => new VerifyCommand(ops).RunAsync(p, ct));
            AnsiConsole.MarkupLine($"{report.Images} catalogued images, {report.Originals} originals, [{(report.Findings.Count == 0 ? "green" : "red")}]{report.Findings.Count} finding(s)[/].");
            Print(report.Findings.Select(f => new[] { f.Kind, f.Subject, f.Detail }), "kind", "subject", "detail");
            return report.Findings.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Repair()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be done." };
        var command = new Command("repair", "Fix what verify finds: re-render previews, catalog orphan originals, remove entries whose original is gone.") { dryRun };
        command.SetAction(async (result, ct) =>
        {
            await using var ops = OpsServices.Create();
            var actions = await WithProgressAsync("Repairing", p => new RepairCommand(ops).RunAsync(result.GetValue(dryRun), p, ct));
            Print(actions.Select(a => new[] { a.Kind, a.Subject, a.Action }), "finding", "subject", "action");
            return 0;
        });
        return command;
    }

    private static Task<T> WithProgressAsync<T>(string title, Func<IProgress<string>, Task<T>> work) =>
        AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask(title).IsIndeterminate();
            var result = await work(new Progress<string>(item => task.Description = $"{title}: {Markup.Escape(item)}"));
            task.StopTask();
            return result;
        });

    private static void Print(object report) => AnsiConsole.WriteLine(JsonSerializer.Serialize(report, BackupManifest.Json));

    private static void Print(IEnumerable<string[]> rows, params string[] columns)
    {
        var table = new Table().AddColumns(columns);
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        AnsiConsole.Write(table);
    }
}
