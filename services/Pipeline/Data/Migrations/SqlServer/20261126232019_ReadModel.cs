using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.SqlServer
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Company",
                table: "stage_events",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "stage_events",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpectedCloseDate",
                table: "stage_events",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "stage_events",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PercentComplete",
                table: "stage_events",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "journeys",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Stage = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Owner = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    StageEnteredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastActivityAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    OpenQuoteCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    OpenQuoteMinor = table.Column<long>(type: "bigint", nullable: true),
                    Json = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Revision = table.Column<int>(type: "int", nullable: false)
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
