using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Pipeline.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StageRecordsOwnEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "stage_events",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "stage_events");
        }
    }
}
