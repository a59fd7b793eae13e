using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "CapturedAt",
                table: "journeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "DaysToWin",
                table: "journeys",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WeightedQuoteMinor",
                table: "journeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WonAt",
                table: "journeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WonCurrency",
                table: "journeys",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WonMinor",
                table: "journeys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "stage_visits",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EnteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeftAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DaysInStage = table.Column<double>(type: "REAL", nullable: true)
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
