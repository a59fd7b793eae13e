using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Orders.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StageRecordsOwnEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EventSequence",
                table: "customers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "customers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EventSequence",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "customers");
        }
    }
}
