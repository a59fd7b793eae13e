using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Leads.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OwnerChangesAndSearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "lead_search_words",
                columns: table => new
                {
                    Word = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_search_words", x => new { x.ContactId, x.Word });
                    table.ForeignKey(
                        name: "FK_lead_search_words_leads_ContactId",
                        column: x => x.ContactId,
                        principalTable: "leads",
                        principalColumn: "ContactId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_lead_search_words_Word_ContactId",
                table: "lead_search_words",
                columns: new[] { "Word", "ContactId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_search_words");
        }
    }
}
