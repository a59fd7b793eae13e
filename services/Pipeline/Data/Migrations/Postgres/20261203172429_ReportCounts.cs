using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "board_counts",
                columns: table => new
                {
                    Stage = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Contacts = table.Column<int>(type: "integer", nullable: false),
                    OpenMinor = table.Column<long>(type: "bigint", nullable: false),
                    WeightedMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_board_counts", x => new { x.Stage, x.Owner, x.Currency });
                });

            migrationBuilder.CreateTable(
                name: "stage_flow_days",
                columns: table => new
                {
                    Stage = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Entered = table.Column<int>(type: "integer", nullable: false),
                    Converted = table.Column<int>(type: "integer", nullable: false),
                    Lost = table.Column<int>(type: "integer", nullable: false),
                    Ended = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_flow_days", x => new { x.Stage, x.Day, x.Owner });
                });

            migrationBuilder.CreateIndex(
                name: "IX_board_counts_Owner_Stage",
                table: "board_counts",
                columns: new[] { "Owner", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_flow_days_Owner_Stage_Day",
                table: "stage_flow_days",
                columns: new[] { "Owner", "Stage", "Day" });

            // The counts of the visits and journeys already stored.
            migrationBuilder.Sql("""
                INSERT INTO "stage_flow_days" ("Stage", "Day", "Owner", "Entered", "Converted", "Lost", "Ended")
                SELECT "Stage", CAST("EnteredAt" AT TIME ZONE 'UTC' AS date), "Owner", COUNT(*),
                    SUM(CASE WHEN "Outcome" = 'Advanced' THEN 1 ELSE 0 END), SUM(CASE WHEN "Outcome" = 'Lost' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN "DaysInStage" IS NOT NULL THEN 1 ELSE 0 END)
                FROM "stage_visits"
                GROUP BY "Stage", CAST("EnteredAt" AT TIME ZONE 'UTC' AS date), "Owner"
                """);
            migrationBuilder.Sql("""
                INSERT INTO "board_counts" ("Stage", "Owner", "Currency", "Contacts", "OpenMinor", "WeightedMinor")
                SELECT "Stage", "Owner", COALESCE("OpenQuoteCurrency", ''), COUNT(*), COALESCE(SUM("OpenQuoteMinor"), 0),
                    COALESCE(SUM("WeightedQuoteMinor"), 0)
                FROM "journeys"
                WHERE "Status" <> 'Lost'
                GROUP BY "Stage", "Owner", COALESCE("OpenQuoteCurrency", '')
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "board_counts");

            migrationBuilder.DropTable(
                name: "stage_flow_days");
        }
    }
}
