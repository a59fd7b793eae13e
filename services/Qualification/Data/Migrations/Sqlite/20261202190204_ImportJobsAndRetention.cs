using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Qualification.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportJobsAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_processed_messages_ProcessedAt",
                table: "processed_messages",
                column: "ProcessedAt");

            migrationBuilder.CreateIndex(
                name: "IX_idempotent_requests_CreatedAt",
                table: "idempotent_requests",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_processed_messages_ProcessedAt",
                table: "processed_messages");

            migrationBuilder.DropIndex(
                name: "IX_idempotent_requests_CreatedAt",
                table: "idempotent_requests");
        }
    }
}
