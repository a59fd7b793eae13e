using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AmountMinor",
                table: "stage_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Company",
                table: "stage_events",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "stage_events",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpectedCloseDate",
                table: "stage_events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "stage_events",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PercentComplete",
                table: "stage_events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "journeys",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StageEnteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastActivityAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenQuoteCurrency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    OpenQuoteMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_journeys", x => x.ContactId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Owner_Status_Stage",
                table: "journeys",
                columns: new[] { "Owner", "Status", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_journeys_Status_Stage_LastActivityAt",
                table: "journeys",
                columns: new[] { "Status", "Stage", "LastActivityAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "journeys");

            migrationBuilder.DropColumn(
                name: "AmountMinor",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "Company",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "ExpectedCloseDate",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "stage_events");

            migrationBuilder.DropColumn(
                name: "PercentComplete",
                table: "stage_events");
        }
    }
}
