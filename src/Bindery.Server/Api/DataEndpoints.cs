using Bindery.Server.Api.Bulk;
using Bindery.Server.Api.Exports;

namespace Bindery.Server.Api;

/// <summary>Data in and out in quantity: bulk operations and imports (Z-3), streamed exports (Z-5).</summary>
public static class DataEndpoints
{
    public static void MapDataEndpoints(this RouteGroupBuilder api)
    {
        api.MapBulkEndpoints();
        api.MapExportEndpoints();
    }
}
