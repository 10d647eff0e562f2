using Dental.Ops;

return await OpsCli.Build().Parse(args).InvokeAsync();
