using System.Text;

namespace Bindery.Cli.Tests;

/// <summary>CSV files for the import tests, with the API's field names as the header.</summary>
public static class Files
{
    public const string ShopsCsv =
        "id,name,policyId,country,merchantType,kind,status,ecommercePermission\r\n" +
        "shop-gb,\"Lumen Beauty, UK\",tiktok-shop,GB,invited,business,normal,true\r\n" +
        "shop-cn,山海茶铺,tiktok-shop,CN,regular,business,normal,true\r\n";

    /// <summary>n adult GB accounts acc-0… (@user.0…), then a 16-year-old @teen.kid (acc-teen) born 2010-06-15.</summary>
    public static string Accounts(int n, bool withTeen = true)
    {
        var csv = new StringBuilder("id,handle,origin,registrationCountry,birthDate,status\r\n");
        for (var i = 0; i < n; i++)
        {
            csv.Append("acc-").Append(i).Append(",user.").Append(i).Append(",tiktok,GB,1990-01-01,normal\r\n");
        }
        if (withTeen)
        {
            csv.Append("acc-teen,teen.kid,tiktok,GB,2010-06-15,normal\r\n");
        }
        return csv.ToString();
    }
}
