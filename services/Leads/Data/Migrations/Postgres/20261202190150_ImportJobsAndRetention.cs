using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Leads.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportJobsAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "import_parts",
                columns: table => new
                {
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Part = table.Column<int>(type: "integer", nullable: false),
                    Bytes = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_parts", x => new { x.ImportId, x.Part });
                });

            migrationBuilder.CreateTable(
                name: "import_rows",
                columns: table => new
                {
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: true),
                    ExistingContactId = table.Column<Guid>(type: "uuid", nullable: true),
                    Errors = table.Column<string>(type: "text", nullable: true),
                    Unmet = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_rows", x => new { x.ImportId, x.Row });
                });

            migrationBuilder.CreateTable(
                name: "imports",
                columns: table => new
                {
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Caller = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CallerIsManager = table.Column<bool>(type: "boolean", nullable: false),
                    Qualify = table.Column<bool>(type: "boolean", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    Parts = table.Column<int>(type: "integer", nullable: false),
                    Received = table.Column<bool>(type: "boolean", nullable: false),
                    Processed = table.Column<int>(type: "integer", nullable: false),
                    Imported = table.Column<int>(type: "integer", nullable: false),
                    Qualified = table.Column<int>(type: "integer", nullable: false),
                    Duplicates = table.Column<int>(type: "integer", nullable: false),
                    Rejected = table.Column<int>(type: "integer", nullable: false),
                    Failure = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ClaimedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_imports", x => x.ImportId);
                });

            migrationBuilder.CreateTable(
                name: "running_imports",
                columns: table => new
                {
                    Caller = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_running_imports", x => x.Caller);
                });

            migrationBuilder.CreateIndex(
                name: "IX_processed_messages_ProcessedAt",
                table: "processed_messages",
                column: "ProcessedAt");

            migrationBuilder.CreateIndex(
                name: "IX_idempotent_requests_CreatedAt",
                table: "idempotent_requests",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_imports_Status_ClaimedUntil",
                table: "imports",
                columns: new[] { "Status", "ClaimedUntil" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_parts");

            migrationBuilder.DropTable(
                name: "import_rows");

            migrationBuilder.DropTable(
                name: "imports");

            migrationBuilder.DropTable(
                name: "running_imports");

            migrationBuilder.DropIndex(
                name: "IX_processed_messages_ProcessedAt",
                table: "processed_messages");

            migrationBuilder.DropIndex(
                name: "IX_idempotent_requests_CreatedAt",
                table: "idempotent_requests");
        }
    }
}
