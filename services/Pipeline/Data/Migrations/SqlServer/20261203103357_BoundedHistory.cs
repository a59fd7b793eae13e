using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BoundedHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_stage_events_ContactId_OccurredAt",
                table: "stage_events");

            migrationBuilder.AddColumn<int>(
                name: "Step",
                table: "stage_events",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CapturedAt",
                table: "journeys",
                type: "datetimeoffset",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<double>(
                name: "DaysToWin",
                table: "journeys",
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WeightedQuoteMinor",
                table: "journeys",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WonAt",
                table: "journeys",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WonCurrency",
                table: "journeys",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WonMinor",
                table: "journeys",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "stage_visits",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    Stage = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LeftAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Outcome = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    DaysInStage = table.Column<double>(type: "float", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_visits", x => new { x.ContactId, x.Number });
                });

            migrationBuilder.CreateIndex(
                name: "IX_stage_events_ContactId_Step_Sequence_OccurredAt",
                table: "stage_events",
                columns: new[] { "ContactId", "Step", "Sequence", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Stage_LastActivityAt",
                table: "journeys",
                columns: new[] { "Stage", "LastActivityAt" });

            migrationBuilder.CreateIndex(
                name: "IX_journeys_WonAt",
                table: "journeys",
                column: "WonAt");

            migrationBuilder.CreateIndex(
                name: "IX_stage_visits_Owner_Stage_EnteredAt",
                table: "stage_visits",
                columns: new[] { "Owner", "Stage", "EnteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_visits_Stage_DaysInStage_EnteredAt",
                table: "stage_visits",
                columns: new[] { "Stage", "DaysInStage", "EnteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_visits_Stage_EnteredAt",
                table: "stage_visits",
                columns: new[] { "Stage", "EnteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_visits_Stage_LeftAt",
                table: "stage_visits",
                columns: new[] { "Stage", "LeftAt" });

            // Stored events get their step; the journeys are dropped, and the service folds them again at its start
            // (BuildMissingReadModelAsync), now with their visits and report columns.
            migrationBuilder.Sql("""
                UPDATE "stage_events" SET "Step" =
                    (CASE "Stage" WHEN 'lead' THEN 0 WHEN 'qualified-lead' THEN 2 WHEN 'prospect' THEN 4 WHEN 'customer' THEN 6 ELSE -2 END)
                    + (CASE WHEN "Type" IN ('LeadCaptured', 'LeadQualified', 'ProspectQualified', 'OrderPlaced') THEN 0 ELSE 1 END)
                """);
            migrationBuilder.Sql("""DELETE FROM "journeys" """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stage_visits");

            migrationBuilder.DropIndex(
                name: "IX_stage_events_ContactId_Step_Sequence_OccurredAt",
                table: "stage_events");

            migrationBuilder.DropIndex(
                name: "IX_journeys_Stage_LastActivityAt",
                table: "journeys");

            migrationBuilder.DropIndex(
                name: "IX_journeys_WonAt",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "Step",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "CapturedAt",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "DaysToWin",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "WeightedQuoteMinor",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "WonAt",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "WonCurrency",
                table: "journeys");

            migrationBuilder.DropColumn(
                name: "WonMinor",
                table: "journeys");

            migrationBuilder.CreateIndex(
                name: "IX_stage_events_ContactId_OccurredAt",
                table: "stage_events",
                columns: new[] { "ContactId", "OccurredAt" });
        }
    }
}
