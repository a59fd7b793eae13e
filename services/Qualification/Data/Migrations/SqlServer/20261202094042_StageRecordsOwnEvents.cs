using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Qualification.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StageRecordsOwnEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EventSequence",
                table: "cases",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EventSequence",
                table: "cases");
        }
    }
}
