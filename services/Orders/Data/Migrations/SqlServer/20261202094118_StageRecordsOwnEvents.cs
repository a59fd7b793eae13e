using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Funnel.Orders.Data.Migrations.SqlServer
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "customers",
                type: "int",
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
