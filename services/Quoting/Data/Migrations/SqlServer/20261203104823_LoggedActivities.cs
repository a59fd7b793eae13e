using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Quoting.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LoggedActivities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_activities_ContactId",
                table: "activities");

            migrationBuilder.AddColumn<int>(
                name: "ActivityCount",
                table: "opportunities",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "DemoOrSampleGiven",
                table: "opportunities",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_activities_ContactId_OccurredAt_Id",
                table: "activities",
                columns: new[] { "ContactId", "OccurredAt", "Id" });

            // Opportunities whose activities were logged before the opportunity counted them.
            migrationBuilder.Sql("""
                UPDATE "opportunities" SET
                    "ActivityCount" = (SELECT COUNT(*) FROM "activities" a WHERE a."ContactId" = "opportunities"."ContactId"),
                    "DemoOrSampleGiven" = CASE WHEN EXISTS (SELECT 1 FROM "activities" a WHERE a."ContactId" = "opportunities"."ContactId" AND a."Kind" IN ('Demo', 'Sample')) THEN 1 ELSE 0 END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_activities_ContactId_OccurredAt_Id",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "ActivityCount",
                table: "opportunities");

            migrationBuilder.DropColumn(
                name: "DemoOrSampleGiven",
                table: "opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_activities_ContactId",
                table: "activities",
                column: "ContactId");
        }
    }
}
