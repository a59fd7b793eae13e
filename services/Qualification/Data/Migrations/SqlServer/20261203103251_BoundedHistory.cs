using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Qualification.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class BoundedHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_interactions_ContactId",
                table: "interactions");

            migrationBuilder.AddColumn<int>(
                name: "InteractionCount",
                table: "cases",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastInteractionAt",
                table: "cases",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_interactions_ContactId_OccurredAt_Id",
                table: "interactions",
                columns: new[] { "ContactId", "OccurredAt", "Id" });

            // Cases logged before interactions were counted on the case.
            migrationBuilder.Sql("""
                UPDATE "cases" SET
                    "InteractionCount" = (SELECT COUNT(*) FROM "interactions" i WHERE i."ContactId" = "cases"."ContactId"),
                    "LastInteractionAt" = (SELECT MAX(i."OccurredAt") FROM "interactions" i WHERE i."ContactId" = "cases"."ContactId")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_interactions_ContactId_OccurredAt_Id",
                table: "interactions");

            migrationBuilder.DropColumn(
                name: "InteractionCount",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "LastInteractionAt",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_interactions_ContactId",
                table: "interactions",
                column: "ContactId");
        }
    }
}
