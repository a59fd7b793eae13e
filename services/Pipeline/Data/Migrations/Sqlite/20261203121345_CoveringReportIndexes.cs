using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CoveringReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_journeys_Status_Stage_LastActivityAt",
                table: "journeys");

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Stage_Status_OpenQuoteCurrency_OpenQuoteMinor",
                table: "journeys",
                columns: new[] { "Stage", "Status", "OpenQuoteCurrency", "OpenQuoteMinor" });

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Status_Stage_LastActivityAt_ContactId",
                table: "journeys",
                columns: new[] { "Status", "Stage", "LastActivityAt", "ContactId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_journeys_Stage_Status_OpenQuoteCurrency_OpenQuoteMinor",
                table: "journeys");

            migrationBuilder.DropIndex(
                name: "IX_journeys_Status_Stage_LastActivityAt_ContactId",
                table: "journeys");

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Status_Stage_LastActivityAt",
                table: "journeys",
                columns: new[] { "Status", "Stage", "LastActivityAt" });
        }
    }
}
