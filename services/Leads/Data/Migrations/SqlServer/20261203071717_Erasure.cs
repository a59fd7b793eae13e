using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Leads.Data.Migrations.SqlServer
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
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "erased_contacts",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ErasedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_erased_contacts", x => x.ContactId);
                });

            migrationBuilder.CreateTable(
                name: "erasures",
                columns: table => new
                {
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_erasures", x => x.ContactId);
                });

            migrationBuilder.CreateTable(
                name: "erasure_steps",
                columns: table => new
                {
                    Service = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DoneAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_erasure_steps", x => new { x.ContactId, x.Service });
                    table.ForeignKey(
                        name: "FK_erasure_steps_erasures_ContactId",
                        column: x => x.ContactId,
                        principalTable: "erasures",
                        principalColumn: "ContactId",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.DropTable(
                name: "erasure_steps");

            migrationBuilder.DropTable(
                name: "erasures");

            migrationBuilder.DropIndex(
                name: "IX_idempotent_requests_ContactId",
                table: "idempotent_requests");

            migrationBuilder.DropColumn(
                name: "ContactId",
                table: "idempotent_requests");
        }
    }
}
