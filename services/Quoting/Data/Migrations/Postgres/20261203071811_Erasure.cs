using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Quoting.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Erasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ContactId",
                table: "idempotent_requests",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "erased_contacts",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    ErasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_erased_contacts", x => x.ContactId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_idempotent_requests_ContactId",
                table: "idempotent_requests",
                column: "ContactId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "erased_contacts");

            migrationBuilder.DropIndex(
                name: "IX_idempotent_requests_ContactId",
                table: "idempotent_requests");

            migrationBuilder.DropColumn(
                name: "ContactId",
                table: "idempotent_requests");
        }
    }
}
